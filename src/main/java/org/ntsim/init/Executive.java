package org.ntsim.init;

import org.ntsim.ex.Pool;
import org.ntsim.ex.sync.SyncObjectTypes;
import org.ntsim.hal.Machine;
import org.ntsim.io.IoManager;
import org.ntsim.ke.Kernel;
import org.ntsim.mm.MemoryManager;
import org.ntsim.ob.ObjectManager;
import org.ntsim.ps.ProcessManager;

/**
 * A booted system's kernel and executive, as {@link Boot} leaves them: the machine, the kernel,
 * each executive component, the service table's bindings, and the I/O manager.
 */
public record Executive(Machine machine, Kernel kernel, Pool pool, MemoryManager mm,
    ObjectManager ob, ProcessManager ps, SyncObjectTypes syncTypes, SystemServices services, IoManager io) {}
