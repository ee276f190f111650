package dev.conductor.instrumentation.expression;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NamesTest {

  @Test
  void namesAreJavaIdentifiersIncludingUnicodeLetters() {
    assertThat(Names.isName("execute")).isTrue();
    assertThat(Names.isName("_run$2")).isTrue();
    assertThat(Names.isName("größe")).isTrue();
    assertThat(Names.isName("")).isFalse();
    assertThat(Names.isName("2run")).isFalse();
    assertThat(Names.isName("run()")).isFalse();
    assertThat(Names.isName("a-b")).isFalse();
  }

  @Test
  void qualifiedNamesAreNamesJoinedBySingleDots() {
    assertThat(Names.isQualifiedName("com.acme.Agent")).isTrue();
    assertThat(Names.isQualifiedName("Agent")).isTrue();
    assertThat(Names.isQualifiedName("com..Agent")).isFalse();
    assertThat(Names.isQualifiedName(".Agent")).isFalse();
    assertThat(Names.isQualifiedName("com.acme.")).isFalse();
    assertThat(Names.isQualifiedName("com.acme.Agent ")).isFalse();
  }

  @Test
  void asciiNamesAndArgumentWords() {
    assertThat(Names.isAsciiName("getId")).isTrue();
    assertThat(Names.isAsciiName("größe")).isFalse();
    assertThat(Names.isPrefixAndDigits("arg12", "arg")).isTrue();
    assertThat(Names.isPrefixAndDigits("arg", "arg")).isFalse();
    assertThat(Names.isPrefixAndDigits("arg1x", "arg")).isFalse();
  }
}
