package org.ntsim.ex.lock;

import java.util.ArrayList;
import java.util.List;
import org.ntsim.ke.Kernel;

/**
 * ExpSystemResourcesList: every initialized ERESOURCE of the system, in order of initialization,
 * the list the debugger's {@code !locks} walks.
 *
 * <p>Invariant: a resource is on the list from ExInitializeResourceLite until
 * ExDeleteResourceLite. Left out: the per-resource lock-contention statistics of ExQuery-
 * PoolBlockSize and the resource's ListEntry address.
 */
public final class ExResources {
  /** sizeof(ERESOURCE) on x86. */
  public static final int SIZE = 0x38;

  private final Kernel kernel;
  private final List<EResource> resources = new ArrayList<>();

  public ExResources(Kernel kernel) {
    this.kernel = kernel;
  }

  /** ExInitializeResourceLite: a free resource at {@code address}, put on the system's list. */
  public EResource initializeResourceLite(long address) {
    EResource r = new EResource(kernel, address);
    resources.add(r);
    return r;
  }

  /**
   * ExDeleteResourceLite: takes the resource off the system's list. A resource still held or
   * waited for is refused (the WRK asserts it is neither).
   */
  public void deleteResourceLite(EResource r) {
    if (r.isHeld() || r.sharedWaiters > 0 || r.exclusiveWaiters > 0) {
      throw new IllegalStateException("ExDeleteResourceLite: resource "
          + Long.toHexString(r.address) + " is in use");
    }
    r.deleted = true;
    resources.remove(r);
  }

  /** The system's resources, in order of initialization. */
  public List<EResource> systemResources() {
    return List.copyOf(resources);
  }
}
