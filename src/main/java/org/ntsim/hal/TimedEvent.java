package org.ntsim.hal;

/** Something the machine does at a simulated time: raise a device interrupt, fire the clock. */
@FunctionalInterface
public interface TimedEvent {
  void fire(long nowNs);
}
