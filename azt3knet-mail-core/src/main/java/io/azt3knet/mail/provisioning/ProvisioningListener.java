package io.azt3knet.mail.provisioning;

/**
 * Sees every agent of a population run as it finishes. Calls are serialized (never concurrent) but come
 * from worker threads; keep them quick.
 */
@FunctionalInterface
public interface ProvisioningListener {

    /** A listener that ignores everything. */
    ProvisioningListener NONE = (outcome, done, total) -> { };

    /**
     * @param outcome what happened to one agent
     * @param done how many agents are finished, this one included
     * @param total how many agents the run has
     */
    void onAgent(AgentOutcome outcome, int done, int total);
}
