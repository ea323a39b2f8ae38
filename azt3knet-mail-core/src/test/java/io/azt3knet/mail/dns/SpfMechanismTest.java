package io.azt3knet.mail.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpfMechanismTest {

    @ParameterizedTest
    @ValueSource(strings = {"include:spf.mailjet.com", "+include:spf.mailjet.com", "a", "mx", "a:mail.example.org",
        "mx:example.org/24", "a/24//64", "ip4:192.0.2.1", "ip4:192.0.2.0/24", "ip4:198.51.0.0/16",
        "ip6:2001:db8::1", "ip6:2001:db8::/32", "INCLUDE:SPF.Mailjet.com"})
    void acceptsMechanismsThatNameASender(String mechanism) {
        assertThat(SpfMechanism.problem(mechanism)).as(mechanism).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"all", "+all", "-all", "~all", "?all", "ip4:0.0.0.0/0", "ip4:10.0.0.0/8", "ip4:1.2.3.4/33",
        "ip6:::/0", "ip6:2001:db8::/16", "a/0", "mx//0", "redirect=_spf.example.org", "exists:%{i}.example.org", "ptr",
        "-include:spf.mailjet.com", "?mx", "include:spf.mailjet.com -all", "include:", "include:bad_domain!",
        "ip4:999.1.1.1", "ip6:not-an-address", "", "v=spf1", "exp=explain.example.org"})
    void refusesAllOtherQualifiersAndWidePrefixes(String mechanism) {
        assertThat(SpfMechanism.problem(mechanism)).as(mechanism).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"+all", "ip4:0.0.0.0/0"})
    void aDesiredStateRefusesThemToo(String mechanism) {
        assertThatThrownBy(() -> new DesiredDns("example.org", List.of(), List.of(mechanism), "~all", 3600))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(mechanism);
    }
}
