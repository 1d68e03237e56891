package org.ntsim.hal;

/**
 * The interrupt vectors of the x86 APIC HAL (halmacpi.dll) that ntsim uses: the IDT has 256
 * entries; 0x00-0x2F are the processor's exceptions and the kernel's software traps, 0x30-0xFF
 * the hardware interrupts a local APIC can receive. The HAL's own interrupts sit at fixed vectors
 * above the device vectors, as in the !idt output of a Vista x86 machine: the clock at 0xD1, the
 * IPI at 0xE1, the profile interrupt at 0xFD. The software interrupts that NT's APIC HAL raises
 * as self-IPIs have vectors too (APC 0x3D, DPC 0x41); here they stay per-level requests, and the
 * vectors only name them.
 *
 * <p>Device vectors are handed out from {@link #FIRST_DEVICE_VECTOR}; which IRQL a vector has is
 * the interrupt controller's routing ({@link IoApic#route}), as HalGetInterruptVector returns the
 * vector and the IRQL together.
 */
public final class InterruptVectors {
  public static final int COUNT = 256;
  /** The first vector of the hardware interrupt range (KiStartUnexpectedRange on x86). */
  public static final int FIRST_HARDWARE_VECTOR = 0x30;
  public static final int APC_VECTOR = 0x3D;
  public static final int DISPATCH_VECTOR = 0x41;
  /** The first vector the HAL gives devices. */
  public static final int FIRST_DEVICE_VECTOR = 0x50;
  public static final int LAST_DEVICE_VECTOR = 0xBF;
  public static final int CLOCK_VECTOR = 0xD1;
  public static final int IPI_VECTOR = 0xE1;
  public static final int PROFILE_VECTOR = 0xFD;

  private InterruptVectors() {}
}
