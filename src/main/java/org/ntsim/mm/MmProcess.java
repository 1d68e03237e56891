package org.ntsim.mm;

/**
 * What the memory manager's services need of an executive process (EPROCESS's Vm and VadRoot):
 * its address space. The process manager's EPROCESS implements it, so that mm, which ps builds
 * on, reaches a process referenced by handle without depending on ps.
 */
public interface MmProcess {
  /** The process's address space, or null before it has one. */
  AddressSpace addressSpace();
}
