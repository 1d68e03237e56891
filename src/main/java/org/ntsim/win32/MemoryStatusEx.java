package org.ntsim.win32;

/**
 * MEMORYSTATUSEX as GlobalMemoryStatusEx fills it. With no paging file yet, the "page file"
 * figures are the commit limit and what is left of it.
 */
public final class MemoryStatusEx {
  public int dwLength = 64;
  public int dwMemoryLoad;
  public long ullTotalPhys;
  public long ullAvailPhys;
  public long ullTotalPageFile;
  public long ullAvailPageFile;
  public long ullTotalVirtual;
  public long ullAvailVirtual;
  public long ullAvailExtendedVirtual;
}
