package org.ntsim.hal;

/**
 * A device that interrupts: it is wired to one input line of the {@link IoApic} and raises it at
 * a simulated time it chooses (an I/O completing, a timer period ending). The raise is an event of
 * the machine's event queue, so it happens in global time order with every other event; the
 * interrupt controller then requests the line's vector on its processors at that time, and each
 * takes it when its clock gets there and its IRQL allows.
 *
 * <p>Invariants: a device never raises its line before the time it asked for; raises at the same
 * time happen in the order they were asked for (the event queue's sequence).
 *
 * <p>Left out: device registers and DMA (the disk of a later issue adds what it needs).
 */
public class Device {
  public final String name;
  public final int line;
  protected final Machine machine;

  public Device(Machine machine, String name, int line) {
    if (line < 0 || line >= IoApic.LINES) {
      throw new IllegalArgumentException(name + ": no input line " + line);
    }
    this.machine = machine;
    this.name = name;
    this.line = line;
  }

  /** Raises this device's interrupt line at simulated time {@code atNs}. */
  public void interruptAt(long atNs) {
    machine.events.schedule(atNs, t -> machine.ioApic.raise(line, t));
  }
}
