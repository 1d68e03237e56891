package org.ntsim.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test parser must reject what a viewer would reject, or the export tests prove nothing. */
class MiniJsonTest {

  @Test
  void parsesNestedValues() {
    @SuppressWarnings("unchecked")
    Map<String, Object> value = (Map<String, Object>) MiniJson.parse(
        "{\"a\":[1,-2.500,\"x\\\"y\\u0001\"],\"b\":{\"c\":true,\"d\":null}}");

    assertThat(value.get("a")).isEqualTo(List.of(new BigDecimal("1"), new BigDecimal("-2.500"), "x\"y\u0001"));
    @SuppressWarnings("unchecked")
    Map<String, Object> b = (Map<String, Object>) value.get("b");
    assertThat(b).containsEntry("c", true).containsEntry("d", null);
  }

  @Test
  void rejectsATrailingComma() {
    assertThatThrownBy(() -> MiniJson.parse("[1,2,]")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsAnUnescapedQuoteOrControlCharacter() {
    assertThatThrownBy(() -> MiniJson.parse("\"a\"b\"")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MiniJson.parse("\"a\nb\"")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsUnbalancedBrackets() {
    assertThatThrownBy(() -> MiniJson.parse("{\"a\":[1}")).isInstanceOf(IllegalArgumentException.class);
  }
}
