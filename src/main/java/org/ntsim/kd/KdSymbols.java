package org.ntsim.kd;

import java.util.Locale;

/**
 * Code addresses for the routine names the model keeps, so that the console can print a start
 * address as WinDbg does with symbols loaded: {@code nt!KeBalanceSetManager (0x81c3a9b0)}.
 *
 * <p>Models WinDbg's {@code module!symbol} form: the module is the image's name without its
 * extension ({@code quickstart.exe!main} prints as {@code quickstart!main}). The model runs no
 * machine code, so each address is ntsim's own: the module's base (nt and hal where Vista x86
 * loads them, ntdll and kernel32 at their usual bases, any other image at the default executable
 * base 0x00400000) plus an offset derived from the routine's name; the same name always gives
 * the same address.
 *
 * <p>Left out: a real symbol table (no address resolves back to a name) and relocation.
 */
final class KdSymbols {
  private static final long NT_BASE = 0x81c00000L;
  private static final long HAL_BASE = 0x806d0000L;
  private static final long NTDLL_BASE = 0x77100000L;
  private static final long KERNEL32_BASE = 0x76f00000L;
  private static final long IMAGE_BASE = 0x00400000L;
  private static final int IMAGE_SPAN = 0x100000; // offsets stay inside the first megabyte

  private KdSymbols() {
  }

  /** {@code module!symbol} as WinDbg names it: the module without its file extension. */
  static String name(String symbol) {
    int bang = symbol.indexOf('!');
    if (bang < 0) {
      return symbol;
    }
    String module = symbol.substring(0, bang);
    int dot = module.lastIndexOf('.');
    if (dot > 0) {
      module = module.substring(0, dot);
    }
    return module + symbol.substring(bang);
  }

  /** The address ntsim gives the routine {@code symbol} ({@code module!name}). */
  static long address(String symbol) {
    String name = name(symbol);
    int bang = name.indexOf('!');
    String module = bang < 0 ? "" : name.substring(0, bang).toLowerCase(Locale.ROOT);
    long base = switch (module) {
      case "nt" -> NT_BASE;
      case "hal" -> HAL_BASE;
      case "ntdll" -> NTDLL_BASE;
      case "kernel32" -> KERNEL32_BASE;
      default -> IMAGE_BASE;
    };
    int offset = 0x1000 + (Math.floorMod(name.hashCode(), IMAGE_SPAN - 0x1000) & ~0xF);
    return base + offset;
  }

  /** {@code nt!KiIdleLoop (0x81c5e2a0)}: a start address as {@code !thread} prints it. */
  static String withAddress(String symbol) {
    if (symbol.indexOf('!') < 0) {
      return symbol;
    }
    return name(symbol) + " (0x" + KdFormat.hex8(address(symbol)) + ")";
  }
}
