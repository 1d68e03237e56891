package org.ntsim.ex;

/**
 * POOL_TYPE: which of the executive's pools an allocation comes from, with the value ntddk.h
 * gives it (the value bug check parameters carry). Non-paged pool stays resident and may be
 * touched at any IRQL; paged pool may be paged out, so only code at IRQL &lt;= APC_LEVEL may
 * allocate, free or touch it.
 *
 * <p>Left out: the must-succeed, cache-aligned, session and quota variants.
 */
public enum PoolType {
  NonPagedPool(0, "Nonpaged pool"),
  PagedPool(1, "Paged pool");

  /** The POOL_TYPE value. */
  public final int value;
  /** How !pool names the region: "Nonpaged pool", "Paged pool". */
  public final String regionName;

  PoolType(int value, String regionName) {
    this.value = value;
    this.regionName = regionName;
  }
}
