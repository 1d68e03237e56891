package org.ntsim.io;

/** DRIVER_UNLOAD: releases what the driver made (its devices) before it is unloaded. */
@FunctionalInterface
public interface DriverUnload {
  void unload(DriverObject driver);
}
