package io.azt3knet.mail.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChaosSettingsTest {

    @Test
    void offByDefaultAndEveryDecisionIsAFunctionOfSeedAndSubject() {
        assertThat(ChaosSettings.none().enabled()).isFalse();
        ChaosSettings a = ChaosSettings.builder(42).duplicateShare(0.5).build();
        ChaosSettings b = ChaosSettings.builder(42).duplicateShare(0.5).build();
        ChaosSettings other = ChaosSettings.builder(43).duplicateShare(0.5).build();

        int hits = 0;
        int differs = 0;
        for (int i = 0; i < 1000; i++) {
            double draw = a.draw("duplicate", "message " + i);
            assertThat(draw).isEqualTo(b.draw("duplicate", "message " + i)).isBetween(0.0, 1.0);
            hits += draw < 0.5 ? 1 : 0;
            differs += draw != other.draw("duplicate", "message " + i) ? 1 : 0;
        }
        assertThat(hits).as("about half").isBetween(430, 570);
        assertThat(differs).isGreaterThan(990);
    }

    @Test
    void sharesThatWouldNeverLetRetriesEndAreRefused() {
        assertThatThrownBy(() -> ChaosSettings.builder(1).webhookFailureShare(1.0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("webhookFailureShare");
        assertThatThrownBy(() -> ChaosSettings.builder(1).deliveryDelayUpTo(Duration.ofMinutes(5)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deliveryDelay");
    }
}
