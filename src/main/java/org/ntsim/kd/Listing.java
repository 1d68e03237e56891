package org.ntsim.kd;

import java.util.Locale;

/**
 * The text one command prints, built up line by line and written to the console's stream in one
 * piece. Lines end in {@code \n} on every host and formatting uses the root locale, so that a
 * transcript does not depend on where it was made.
 */
public final class Listing {
  private final StringBuilder text = new StringBuilder();

  /** Appends {@code line} and a line end. */
  public Listing line(String line) {
    text.append(line).append('\n');
    return this;
  }

  /** Appends an empty line. */
  public Listing blank() {
    text.append('\n');
    return this;
  }

  /** Appends one formatted line ({@link String#format} in the root locale) and a line end. */
  public Listing format(String format, Object... args) {
    return line(String.format(Locale.ROOT, format, args));
  }

  /** Appends the non-empty lines of {@code lines}, each prefixed with {@code indent}. */
  public Listing block(String indent, String lines) {
    if (lines.isEmpty()) {
      return this;
    }
    for (String l : lines.split("\\R")) {
      if (!l.isEmpty()) {
        line(indent + l);
      }
    }
    return this;
  }

  boolean isEmpty() {
    return text.isEmpty();
  }

  @Override
  public String toString() {
    return text.toString();
  }
}
