package org.ntsim.kd;

import java.util.Locale;
import java.util.function.LongUnaryOperator;

/**
 * WinDbg's MASM expression evaluator as {@code ?} uses it on an x86 target: numbers in the
 * default radix 16 ({@code 0x} hex, {@code 0n} decimal, {@code 0y} binary, the backtick of
 * 64-bit addresses), the operators {@code + - * / % & | ^ ~ << >>} with MASM's precedence
 * (unary; {@code * / %}; {@code + -}; shifts; {@code &}; {@code ^}; {@code |}), parentheses,
 * {@code poi(address)} (the 32-bit value at a virtual address of the current process) and the
 * pseudo-registers {@code @$thread}, {@code @$proc} and {@code @$prcb}.
 *
 * <p>Invariants: values are 32-bit, as on an x86 target (every result wraps at 32 bits); reading
 * memory is the only access to the target, and it never changes it.
 *
 * <p>Left out: symbols ({@code nt!KiDispatcherLock}), registers other than the pseudo-registers,
 * comparisons, {@code hi}/{@code low}/{@code by}/{@code wo}, the {@code n} command's radix.
 */
final class KdExpression {
  private static final long MASK = 0xFFFFFFFFL;

  private final KdTarget target;
  private final LongUnaryOperator readDword; // -1: nothing mapped there
  private String text;
  private int pos;

  /** readDword: the 32-bit value at a virtual address of the current process, or -1. */
  KdExpression(KdTarget target, LongUnaryOperator readDword) {
    this.target = target;
    this.readDword = readDword;
  }

  /** The value of {@code expression}, wrapped to 32 bits; KdError as WinDbg words it. */
  long evaluate(String expression) {
    text = expression;
    pos = 0;
    long v = or();
    skipBlanks();
    if (pos < text.length()) {
      throw syntaxError();
    }
    return v & MASK;
  }

  /** {@code ? expr}'s line: {@code Evaluate expression: 3 = 00000003}, signed as on x86. */
  static String line(long value) {
    return "Evaluate expression: " + (int) value + " = " + KdFormat.hex8(value);
  }

  private long or() {
    long v = xor();
    while (accept("|")) {
      v = (v | xor()) & MASK;
    }
    return v;
  }

  private long xor() {
    long v = and();
    while (accept("^")) {
      v = (v ^ and()) & MASK;
    }
    return v;
  }

  private long and() {
    long v = shift();
    while (accept("&")) {
      v = (v & shift()) & MASK;
    }
    return v;
  }

  private long shift() {
    long v = sum();
    while (true) {
      if (accept("<<")) {
        v = (v << (sum() & 0x3F)) & MASK;
      } else if (accept(">>")) {
        v = (v >>> (sum() & 0x3F)) & MASK;
      } else {
        return v;
      }
    }
  }

  private long sum() {
    long v = product();
    while (true) {
      if (accept("+")) {
        v = (v + product()) & MASK;
      } else if (accept("-")) {
        v = (v - product()) & MASK;
      } else {
        return v;
      }
    }
  }

  private long product() {
    long v = unary();
    while (true) {
      int at = pos;
      char op = accept("*") ? '*' : accept("/") ? '/' : accept("%") ? '%' : 0;
      if (op == 0) {
        return v;
      }
      long w = unary();
      if (op == '*') {
        v = (v * w) & MASK;
      } else if (w == 0) {
        throw new KdError("Divide by zero error at '" + text.substring(at).strip() + "'");
      } else {
        v = op == '/' ? Long.divideUnsigned(v, w) : Long.remainderUnsigned(v, w);
      }
    }
  }

  private long unary() {
    if (accept("-")) {
      return -unary() & MASK;
    }
    if (accept("+")) {
      return unary();
    }
    if (accept("~")) {
      return ~unary() & MASK;
    }
    return primary();
  }

  private long primary() {
    skipBlanks();
    if (accept("(")) {
      long v = or();
      expect(")");
      return v;
    }
    int start = pos;
    while (pos < text.length() && isWordChar(text.charAt(pos))) {
      pos++;
    }
    String word = text.substring(start, pos).toLowerCase(Locale.ROOT);
    if (word.isEmpty()) {
      throw syntaxError();
    }
    if (word.equals("poi")) {
      expect("(");
      long address = or();
      expect(")");
      long v = readDword.applyAsLong(address);
      if (v < 0) {
        throw new KdError("Memory access error at '" + text.substring(start).strip() + "'");
      }
      return v;
    }
    if (word.startsWith("@$") || word.startsWith("$")) {
      return pseudoRegister(word.substring(word.indexOf('$') + 1), text.substring(start));
    }
    return number(word, text.substring(start));
  }

  private long pseudoRegister(String name, String rest) {
    return switch (name) {
      case "thread" -> target.currentThread().address & MASK;
      case "proc" -> {
        var p = KdTarget.processOf(target.currentThread());
        yield (p != null ? p : target.os.ps.idleProcess()).address & MASK;
      }
      case "prcb" -> KdTarget.prcbAddress(target.currentCpu());
      default -> throw KdError.unresolved(rest.strip());
    };
  }

  /** A number in the default radix 16, or with the 0x, 0n or 0y prefix. */
  private static long number(String word, String rest) {
    String t = word.replace("`", "");
    int radix = 16;
    if (t.startsWith("0x")) {
      t = t.substring(2);
    } else if (t.startsWith("0n")) {
      radix = 10;
      t = t.substring(2);
    } else if (t.startsWith("0y")) {
      radix = 2;
      t = t.substring(2);
    }
    try {
      if (t.isEmpty() || t.length() > 64) {
        throw new NumberFormatException();
      }
      return Long.parseUnsignedLong(t, radix) & MASK;
    } catch (NumberFormatException e) {
      throw KdError.unresolved(rest.strip());
    }
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '@' || c == '$' || c == '`' || c == '_';
  }

  private boolean accept(String op) {
    skipBlanks();
    if (!text.startsWith(op, pos)) {
      return false;
    }
    pos += op.length();
    return true;
  }

  private void expect(String op) {
    if (!accept(op)) {
      throw syntaxError();
    }
  }

  private void skipBlanks() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private KdError syntaxError() {
    return new KdError("Syntax error at '" + text.substring(Math.min(pos, text.length())) + "'");
  }
}
