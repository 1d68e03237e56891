package org.ntsim.kd;

import org.ntsim.hal.Cpu;
import org.ntsim.hal.InterruptHandler;
import org.ntsim.hal.InterruptVectors;
import org.ntsim.ke.IdtRoutine;
import org.ntsim.ke.KInterrupt;
import org.ntsim.ke.Kernel;

/**
 * {@code !idt [vector]}: a processor's interrupt dispatch table as WinDbg prints it for an x86
 * target, from the hardware vectors (0x30) to 0xFE: each connected vector with the address its
 * IDT entry holds and the routine's symbol, an interrupt object's address after it, and the other
 * objects of a shared vector's chain on the lines below, indented under the first. Vectors whose
 * entry is the unexpected-interrupt routine are skipped, unless asked for by number ("Vector 70
 * not connected").
 *
 * <p>Left out: the processor's exception and trap vectors below 0x30 (the model has no trap
 * handlers to show), and {@code !idt -a}.
 */
final class InterruptExtension {
  private static final int LAST_LISTED_VECTOR = 0xFE;

  private InterruptExtension() {}

  /** Registers {@code !idt}. */
  static void register(KdCommands table) {
    KdTarget target = table.target();
    table.register("!idt", "!idt [<vector>]",
        "the current processor's interrupt dispatch table: vectors, routines, interrupt objects",
        (out, args) -> {
          String text = idt(target.kernel(), target.currentCpu(), String.join(" ", args));
          for (String line : text.split("\n", -1)) {
            out.line(line);
          }
        });
    table.example("!idt", "!idt d1");
  }

  /** The text of {@code !idt} for processor {@code processor}; {@code args} may name a vector. */
  static String idt(Kernel kernel, int processor, String args) {
    Cpu cpu = kernel.machine().cpu(processor);
    int first = InterruptVectors.FIRST_HARDWARE_VECTOR;
    int last = LAST_LISTED_VECTOR;
    boolean one = args != null && !args.isBlank();
    if (one) {
      long v = KdFormat.number(args.trim());
      if (v < 0 || v >= InterruptVectors.COUNT) {
        throw new KdError("Invalid vector " + args.trim());
      }
      first = (int) v;
      last = (int) v;
    }
    StringBuilder out = new StringBuilder("\nDumping IDT:\n\n");
    for (int v = first; v <= last; v++) {
      InterruptHandler entry = cpu.idtEntry(v);
      if (entry instanceof KInterrupt head) {
        out.append(String.format("%02x:%s %s (KINTERRUPT %s)%n", v,
            KdFormat.hex8(head.address + KInterrupt.DISPATCH_CODE_OFFSET), head.name,
            KdFormat.hex8(head.address)));
        for (KInterrupt i = head.chainNext(); i != null; i = i.chainNext()) {
          out.append(String.format("         %s (KINTERRUPT %s)%n", i.name,
              KdFormat.hex8(i.address)));
        }
      } else if (entry instanceof IdtRoutine r && !r.unexpected) {
        out.append(String.format("%02x:%s %s%n", v, KdFormat.hex8(r.address), r.symbol));
      } else if (one) {
        out.append(String.format("Vector %x not connected%n", v));
      }
    }
    return out.toString();
  }
}
