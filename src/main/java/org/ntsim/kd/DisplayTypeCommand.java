package org.ntsim.kd;

import java.util.List;
import java.util.Locale;
import org.ntsim.kd.layout.Field;
import org.ntsim.kd.layout.StructType;
import org.ntsim.kd.layout.VistaX86Types;

/**
 * {@code dt [-r[depth]] [nt!]_TYPE [address]}: WinDbg's Display Type for the kernel structures
 * ntsim lays out in simulated memory ({@link VistaX86Types}). Without an address it lists the
 * type's members with their types; with one it reads each member from memory (the image is in
 * step with the model: the console refreshes it before every command).
 *
 * <p>Models WinDbg's layout: a member per line, {@code +0x04f Priority         : 8 ''}, the name
 * padded to sixteen columns; UChar as hex with its character, Char and signed integers in decimal
 * ({@code 0n-1}), unsigned ones in hex, pointers as {@code 0x84e1c030 _KTHREAD} or {@code (null)},
 * a _LIST_ENTRY as {@code [ flink - blink ]}, a character array as its string, bit fields in
 * binary ({@code 0y1}); {@code -r} opens embedded structures, three columns further in, with
 * offsets relative to them. The type name line ({@code nt!_KTHREAD}) heads a listing without an
 * address.
 *
 * <p>A member name after the type limits the listing to that member ({@code dt nt!_EPROCESS
 * 84001020 ImageFileName}); a bit field wider than one bit shows its value after the bits
 * ({@code 0y001010010 (0x52)}).
 *
 * <p>Left out: partial member names and {@code -y}, {@code -a}, {@code -b}, {@code -v},
 * {@code -l}, types of other modules; members ntsim does not model are not listed.
 */
final class DisplayTypeCommand {
  private static final int NAME_COLUMNS = 16;

  private final KdTarget target;
  private final KdExpression expression;

  private DisplayTypeCommand(KdTarget target) {
    this.target = target;
    this.expression = new KdExpression(target, va -> target.readVirtual(va, 4));
  }

  /** Registers {@code dt}. */
  static void register(KdCommands table) {
    DisplayTypeCommand c = new DisplayTypeCommand(table.target());
    table.register("dt", "dt [-r[<depth>]] [nt!]<type> [<address>] [<member>...]",
        "a kernel structure's layout at Vista x86 offsets, or its values at an address", c::run);
    table.example("dt", "dt -r1 nt!_KTHREAD @$thread");
  }

  void run(Listing out, List<String> args) {
    int depth = 0;
    StructType type = null;
    String addressText = null;
    java.util.Set<String> only = new java.util.TreeSet<>();
    for (String a : args) {
      if (a.toLowerCase(Locale.ROOT).startsWith("-r")) {
        depth = a.length() == 2 ? Integer.MAX_VALUE : depthOf(a);
      } else if (type == null) {
        type = VistaX86Types.find(a);
        if (type == null) {
          throw new KdError("Symbol " + (a.contains("!") ? a : "nt!" + a) + " not found.");
        }
      } else if (isField(type, a)) {
        only.add(a);
      } else if (addressText == null) {
        addressText = a;
      } else {
        throw new KdError("Cannot find specified field members.");
      }
    }
    if (type == null) {
      throw new KdError("dt needs a type: dt [-r[<depth>]] [nt!]<type> [<address>]");
    }
    if (!only.isEmpty()) {
      type = new StructType(type.name(), type.sizeBytes(),
          type.fields().stream().filter(f -> only.contains(f.name())).toList());
    }
    if (addressText == null) {
      out.line("nt!" + type.name());
      listType(out, type, "   ", depth);
      return;
    }
    long address = expression.evaluate(addressText);
    if (target.readVirtual(address, 1) < 0) {
      throw new KdError("Memory read error " + KdFormat.hex8(address));
    }
    listValues(out, type, address, "   ", depth);
  }

  /** Whether {@code word} names a member of {@code type} (dt's field filter: exact names). */
  private static boolean isField(StructType type, String word) {
    return type.fields().stream().anyMatch(f -> f.name().equals(word));
  }

  private static int depthOf(String option) {
    try {
      return Integer.parseInt(option.substring(2));
    } catch (NumberFormatException e) {
      throw new KdError("dt: " + option + " is not -r or -r<depth>");
    }
  }

  private static String member(String indent, Field f) {
    String name = f.name().length() < NAME_COLUMNS
        ? f.name() + " ".repeat(NAME_COLUMNS - f.name().length()) : f.name();
    return String.format(Locale.ROOT, "%s+0x%03x %s : ", indent, f.offset(), name);
  }

  private void listType(Listing out, StructType type, String indent, int depth) {
    for (Field f : type.fields()) {
      String text = f.isStructure() ? VistaX86Types.displayName(f.typeName()) : f.typeText();
      out.line(member(indent, f) + text);
      StructType inner = f.isStructure() ? VistaX86Types.find(f.typeName()) : null;
      if (inner != null && depth > 0) {
        listType(out, inner, indent + "   ", depth - 1);
      }
    }
  }

  private void listValues(Listing out, StructType type, long base, String indent, int depth) {
    for (Field f : type.fields()) {
      long a = base + f.offset();
      out.line(member(indent, f) + value(f, a));
      StructType inner = f.isStructure() ? VistaX86Types.find(f.typeName()) : null;
      if (inner != null && depth > 0) {
        listValues(out, inner, a, indent + "   ", depth - 1);
      }
    }
  }

  /** A member's value as dt prints it; {@code ??} where memory cannot be read. */
  private String value(Field f, long a) {
    return switch (f.kind()) {
      case UCHAR -> withCharacter(read(a, 1), false);
      case CHAR -> withCharacter(read(a, 1), true);
      case UINT2 -> unsigned(read(a, 2));
      case UINT4 -> unsigned(read(a, 4));
      case UINT8 -> unsigned(read(a, 8));
      case INT2 -> signed(read(a, 2), 2);
      case INT4 -> signed(read(a, 4), 4);
      case INT8 -> signed(read(a, 8), 8);
      case POINTER -> pointer(read(a, 4), f.typeName());
      case BITS -> bits(read(a, 4), f.bitPosition(), f.bitWidth());
      case CHAR_ARRAY -> "[" + f.count() + "]  \"" + string(a, f.count()) + "\"";
      case ARRAY -> array(f, a);
      case STRUCT -> structure(f.typeName(), a);
    };
  }

  private long read(long a, int bytes) {
    return target.readVirtual(a, bytes);
  }

  private static String withCharacter(long v, boolean signed) {
    if (v < 0) {
      return "??";
    }
    String number = signed ? Integer.toString((byte) v) : v == 0 ? "0" : "0x" + Long.toHexString(v);
    char c = (char) v;
    return number + " '" + (c >= 0x20 && c < 0x7F ? String.valueOf(c) : "") + "'";
  }

  private static String unsigned(long v) {
    return v == -1 ? "??" : v == 0 ? "0" : "0x" + Long.toHexString(v);
  }

  private static String signed(long v, int bytes) {
    if (v == -1 && bytes < 8) {
      return "??";
    }
    long s = bytes == 2 ? (short) v : bytes == 4 ? (int) v : v;
    return "0n" + s;
  }

  private static String pointer(long v, String target) {
    if (v < 0) {
      return "??";
    }
    if (v == 0) {
      return "(null)";
    }
    return "0x" + KdFormat.hex8(v) + " " + (target.isEmpty() ? "Void" : target);
  }

  private static String bits(long v, int position, int width) {
    if (v < 0) {
      return "??";
    }
    long field = (v >>> position) & ((1L << width) - 1);
    String binary = Long.toBinaryString(field);
    String bits = "0y" + "0".repeat(width - binary.length()) + binary;
    return width == 1 ? bits : bits + " (" + (field == 0 ? "0" : "0x" + Long.toHexString(field))
        + ")";
  }

  private String string(long a, int count) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < count; i++) {
      long c = read(a + i, 1);
      if (c <= 0) {
        break;
      }
      s.append((char) c);
    }
    return s.toString();
  }

  private String array(Field f, long a) {
    String element = f.typeName();
    String head = "[" + f.count() + "] ";
    if (element.startsWith("Ptr32 ")) {
      String target = element.substring("Ptr32 ".length());
      return head + pointer(read(a, 4), target.equals("Void") ? "" : target);
    }
    return switch (element) {
      case "Uint4B" -> head + unsigned(read(a, 4));
      case "UChar" -> head + withCharacter(read(a, 1), false);
      default -> head + element;
    };
  }

  private String structure(String typeName, long a) {
    String shown = VistaX86Types.displayName(typeName);
    switch (typeName) {
      case "_LIST_ENTRY":
        return shown + " [ " + hexOrUnknown(read(a, 4)) + " - " + hexOrUnknown(read(a + 4, 4))
            + " ]";
      case "_LARGE_INTEGER":
      case "_ULARGE_INTEGER":
        return shown + " " + unsigned(read(a, 8));
      default:
        return shown;
    }
  }

  private static String hexOrUnknown(long v) {
    return v < 0 ? "????????" : "0x" + KdFormat.hex8(v);
  }
}
