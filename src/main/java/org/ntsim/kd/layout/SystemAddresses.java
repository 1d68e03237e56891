package org.ntsim.kd.layout;

import org.ntsim.mm.MmLayout;

/**
 * Where the kernel's per-processor blocks and the globals a debugger starts from live: the KPCRs
 * (reached through nt!KiProcessorBlock, which holds each processor's KPRCB address),
 * nt!PsActiveProcessHead and the PFN database.
 *
 * <p>Models Vista x86's placement: the boot processor's KPCR is not at XP's fixed ffdff000 but
 * in the kernel image's data (nt!KiInitialPcr, at xxxxxc00 as Vista and Windows 7 x86 dumps show
 * it, e.g. {@code KPCR for Processor 0 at 82d32c00} with {@code Prcb: 82d32d20}); each further
 * processor's KPCR is allocated page-aligned in low system space when the processor starts
 * ({@code KPCR for Processor 1 at 807c4000} in such dumps). The KPRCB is at KPCR+0x120 (the
 * _KPCR member PrcbData).
 *
 * <p>Left out: the exact addresses depend on the kernel image's relocation; ntsim's kernel image
 * sits at 81800000 (where its other kernel code and data addresses are), so these are fixed.
 */
public final class SystemAddresses {
  /** nt!KiInitialPcr: the boot processor's KPCR. */
  public static final long BOOT_PCR = 0x81926c00L;
  /** The first further processor's KPCR; one every {@link #PCR_STRIDE} bytes after it. */
  public static final long SECONDARY_PCR_BASE = 0x807c4000L;
  /** KPCR (0x20b8 bytes) rounded up to whole pages. */
  public static final long PCR_STRIDE = 0x3000L;
  /** Offset of the KPRCB inside the KPCR. */
  public static final long PRCB_OFFSET = 0x120;
  /** nt!KiProcessorBlock: an array of KPRCB pointers, one per processor (32 on x86). */
  public static final long KI_PROCESSOR_BLOCK = 0x81930a20L;
  /** nt!PsActiveProcessHead: the list of active processes through ActiveProcessLinks. */
  public static final long PS_ACTIVE_PROCESS_HEAD = 0x81930bd0L;
  /** The PFN database (MmPfnDatabase): one _MMPFN of 0x18 bytes per physical page. */
  public static final long PFN_DATABASE = MmLayout.PFN_DATABASE;
  /** sizeof(_MMPFN) on x86. */
  public static final int PFN_ENTRY_SIZE = 0x18;
  /** The kernel image's range: pages here that the image writes to are made resident for it. */
  public static final long KERNEL_IMAGE_START = 0x80000000L;
  public static final long KERNEL_IMAGE_END = 0x84000000L;

  private SystemAddresses() {}

  /** The KPCR of processor {@code cpu}. */
  public static long pcrAddress(int cpu) {
    return cpu == 0 ? BOOT_PCR : SECONDARY_PCR_BASE + (cpu - 1) * PCR_STRIDE;
  }

  /** The KPRCB of processor {@code cpu}: KPCR+0x120. */
  public static long prcbAddress(int cpu) {
    return pcrAddress(cpu) + PRCB_OFFSET;
  }

  /** The _MMPFN of physical page {@code pfn}. */
  public static long pfnEntry(int pfn) {
    return PFN_DATABASE + (long) pfn * PFN_ENTRY_SIZE;
  }
}
