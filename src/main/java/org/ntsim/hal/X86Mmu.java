package org.ntsim.hal;

import java.util.Arrays;

/**
 * The x86 non-PAE MMU of one processor (seed 004, "Virtual Address Translation"): CR3 points at a
 * page directory of 1024 PDEs, each PDE at a page table of 1024 PTEs, each PTE at a 4 KiB page.
 *
 * <p>Models: the two-level walk over entries in physical memory; the accessed bit set in the PDE
 * and PTE on a walk and the dirty bit in the PTE on the first write through it (written back to
 * memory as the hardware does); user/kernel and write checks with CR0.WP set, as NT runs (kernel
 * writes to read-only pages fault too), on the AND of the PDE's and the PTE's bits; a direct-mapped
 * TLB of a configurable number of entries that caches the effective entry, global entries kept
 * across CR3 loads; page faults with CR2 and the error code. A walk costs
 * {@link CostModel#pageWalkNs}, a flush {@link CostModel#tlbFlushNs}, an INVLPG
 * {@link CostModel#invlpgNs}; the time is added to the CPU's clock without a simulation point
 * (the access that missed is one).
 *
 * <p>Invariants: a TLB entry holds a translation that was valid in memory when it was loaded;
 * the memory manager invalidates it (here or by shootdown) before it reuses the frame or weakens
 * the entry. {@code tlbVpn[i] == -1} marks an empty slot. The hit path does not allocate.
 *
 * <p>Left out: large pages (no PDE has PS set), PAE and no-execute (so execute access is not
 * checked), set associativity and separate instruction and data TLBs, the page-walk caches.
 */
public final class X86Mmu implements Mmu {
  private static final int EMPTY = -1;

  private final Cpu cpu;
  private final PhysicalMemory memory;
  private final CostModel cost;
  private final int[] tlbVpn;
  private final int[] tlbEntry; // the effective PTE: frame, P, W, U, D, G
  private final int tlbMask;
  private long cr3;
  private long faultAddress;
  private int faultErrorCode;
  private long hits;
  private long misses;
  private long flushes;

  X86Mmu(Cpu cpu, PhysicalMemory memory, CostModel cost, int tlbEntries) {
    if (tlbEntries < 1 || Integer.bitCount(tlbEntries) != 1) {
      throw new IllegalArgumentException("TLB entries must be a power of two, not " + tlbEntries);
    }
    this.cpu = cpu;
    this.memory = memory;
    this.cost = cost;
    this.tlbVpn = new int[tlbEntries];
    this.tlbEntry = new int[tlbEntries];
    this.tlbMask = tlbEntries - 1;
    Arrays.fill(tlbVpn, EMPTY);
  }

  @Override
  public long translate(long va, boolean write, boolean user) {
    int vpn = (int) (va >>> 12);
    int slot = vpn & tlbMask;
    if (tlbVpn[slot] == vpn) {
      int entry = tlbEntry[slot];
      int need = X86Pte.VALID | (write ? X86Pte.WRITE | X86Pte.DIRTY : 0)
          | (user ? X86Pte.OWNER : 0);
      if ((entry & need) == need) {
        hits++;
        return ((long) (entry & X86Pte.FRAME_MASK) & 0xFFFFFFFFL) | (va & PhysicalMemory.PAGE_MASK);
      }
    }
    return walk(va, vpn, slot, write, user);
  }

  private long walk(long va, int vpn, int slot, boolean write, boolean user) {
    misses++;
    cpu.advance(cost.pageWalkNs);
    long pdeAddress = cr3 + ((va >>> 22) << 2);
    int pde = memory.readInt(pdeAddress);
    if ((pde & X86Pte.VALID) == 0) {
      return fault(va, 0, write, user);
    }
    long pteAddress = ((long) (pde & X86Pte.FRAME_MASK) & 0xFFFFFFFFL) + ((va >>> 10) & 0xFFC);
    int pte = memory.readInt(pteAddress);
    if ((pte & X86Pte.VALID) == 0) {
      return fault(va, 0, write, user);
    }
    int rights = pde & pte;
    if ((user && (rights & X86Pte.OWNER) == 0) || (write && (rights & X86Pte.WRITE) == 0)) {
      return fault(va, X86Pte.FAULT_PROTECTION, write, user);
    }
    if ((pde & X86Pte.ACCESSED) == 0) {
      memory.writeInt(pdeAddress, pde | X86Pte.ACCESSED);
    }
    int updated = pte | X86Pte.ACCESSED | (write ? X86Pte.DIRTY : 0);
    if (updated != pte) {
      memory.writeInt(pteAddress, updated);
    }
    tlbVpn[slot] = vpn;
    tlbEntry[slot] = (updated & (X86Pte.FRAME_MASK | X86Pte.VALID | X86Pte.DIRTY | X86Pte.GLOBAL))
        | (rights & (X86Pte.WRITE | X86Pte.OWNER));
    return ((long) (updated & X86Pte.FRAME_MASK) & 0xFFFFFFFFL) | (va & PhysicalMemory.PAGE_MASK);
  }

  private long fault(long va, int protection, boolean write, boolean user) {
    faultAddress = va;
    faultErrorCode = protection | (write ? X86Pte.FAULT_WRITE : 0) | (user ? X86Pte.FAULT_USER : 0);
    return FAULT;
  }

  @Override
  public long faultAddress() {
    return faultAddress;
  }

  @Override
  public int faultErrorCode() {
    return faultErrorCode;
  }

  @Override
  public long directoryBase() {
    return cr3;
  }

  @Override
  public boolean loadDirectoryBase(long physicalAddress) {
    if (physicalAddress == cr3) {
      return false;
    }
    cr3 = physicalAddress;
    cpu.advance(cost.tlbFlushNs);
    flushes++;
    for (int i = 0; i < tlbVpn.length; i++) {
      if ((tlbEntry[i] & X86Pte.GLOBAL) == 0) {
        tlbVpn[i] = EMPTY;
      }
    }
    return true;
  }

  @Override
  public void invalidatePage(long va) {
    int vpn = (int) (va >>> 12);
    int slot = vpn & tlbMask;
    cpu.advance(cost.invlpgNs);
    if (tlbVpn[slot] == vpn) {
      tlbVpn[slot] = EMPTY;
    }
  }

  @Override
  public void dropPage(long va) {
    int vpn = (int) (va >>> 12);
    int slot = vpn & tlbMask;
    if (tlbVpn[slot] == vpn) {
      tlbVpn[slot] = EMPTY;
    }
  }

  @Override
  public void dropNonGlobal() {
    for (int i = 0; i < tlbVpn.length; i++) {
      if ((tlbEntry[i] & X86Pte.GLOBAL) == 0) {
        tlbVpn[i] = EMPTY;
      }
    }
  }

  @Override
  public void flushAll() {
    cpu.advance(cost.tlbFlushNs);
    flushes++;
    Arrays.fill(tlbVpn, EMPTY);
  }

  @Override
  public boolean cached(long va) {
    int vpn = (int) (va >>> 12);
    return tlbVpn[vpn & tlbMask] == vpn;
  }

  @Override
  public long tlbHits() {
    return hits;
  }

  @Override
  public long tlbMisses() {
    return misses;
  }

  @Override
  public long tlbFlushes() {
    return flushes;
  }

  @Override
  public int tlbEntries() {
    return tlbVpn.length;
  }
}
