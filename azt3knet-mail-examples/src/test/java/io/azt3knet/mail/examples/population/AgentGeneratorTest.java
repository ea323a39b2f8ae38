package io.azt3knet.mail.examples.population;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azt3knet.mail.AgentIdentity;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AgentGeneratorTest {

    @ParameterizedTest
    @ValueSource(strings = {"ES", "US", "DE", "FR", "IT", "BR", "RU", "CN", "JP", "IN"})
    void generatesNamedAgentsDeterministicallyForEveryRequiredCountry(String country) {
        List<AgentIdentity> a = AgentGenerator.generate(20, country, 42);
        List<AgentIdentity> b = AgentGenerator.generate(20, country, 42);
        assertThat(a).hasSize(20).isEqualTo(b);
        assertThat(a).allSatisfy(agent -> {
            assertThat(agent.firstName()).isNotBlank();
            assertThat(agent.lastName()).isNotBlank();
        });
        assertThat(a.get(0).id()).isEqualTo("agent-00001");
        assertThat(AgentGenerator.generate(20, country, 43)).isNotEqualTo(a);
    }

    @Test
    void namesAreTypicalOfTheCountry() {
        assertThat(AgentGenerator.generate(10, "RU", 1)).anySatisfy(a -> assertThat(a.lastName()).matches(".*\\p{IsCyrillic}.*"));
        assertThat(AgentGenerator.generate(10, "CN", 1)).anySatisfy(a -> assertThat(a.lastName()).matches(".*\\p{IsHan}.*"));
    }

    @Test
    void refusesAnUnknownCountryNamingTheSupportedOnes() {
        assertThatThrownBy(() -> AgentGenerator.generate(1, "XX", 1))
                .hasMessageContaining("unknown country 'XX'").hasMessageContaining("ES");
    }
}
