package org.ntsim.ob;

import org.ntsim.ex.Pool;
import org.ntsim.hal.Machine;
import org.ntsim.hal.MachineConfig;
import org.ntsim.ke.KProcess;
import org.ntsim.ke.Kernel;

/**
 * An object manager on a bare kernel and pool (no processes running), two processes' handle
 * tables, and synthetic object bodies, for tests of the object manager's own routines.
 */
final class ObTestSupport {
  static final int KERNEL_MODE = Kernel.KERNEL_MODE;
  static final int USER_MODE = Kernel.USER_MODE;
  /** A small type's every right: STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x3. */
  static final int WIDGET_ALL_ACCESS = 0x001F0003;

  final Machine machine = new Machine(new MachineConfig());
  final Kernel kernel = new Kernel(machine);
  final Pool pool = new Pool(kernel);
  final ObjectManager ob = new ObjectManager(pool);
  final KProcess processA = process(0x1000);
  final KProcess processB = process(0x2000);
  final HandleTable tableA = new HandleTable(processA);
  final HandleTable tableB = new HandleTable(processB);
  final KProcess system = process(0x3000);

  ObTestSupport() {
    ob.initSystemProcessHandleTable(system);
  }

  private static KProcess process(long address) {
    return new KProcess(address, 8, 1, 0) {};
  }

  /** A body that is not a dispatcher object, labelled for the test's eyes. */
  static final class Widget extends ObjectBody {
    final String label;

    Widget(String label) {
      this.label = label;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  /** A type of widgets as {@code initializer} describes it. */
  static ObjectType widgetType(String name, ObjectTypeInitializer initializer) {
    return new ObjectType(name, initializer);
  }

  static ObjectTypeInitializer widgets() {
    return ObjectTypeInitializer.standard("Widget", WIDGET_ALL_ACCESS);
  }

  /** ObCreateObject for a new widget of {@code type}, in its pool, with the creator's reference. */
  ObjectHeader create(ObjectType type, String label, boolean named) {
    long address = ob.allocateObjectBody(type, 0x10, named);
    return ob.createObject(type, new Widget(label), address);
  }

  /** A new unnamed widget with a handle in {@code table}, from a caller in {@code mode}. */
  long insert(HandleTable table, ObjectType type, String label, int attributes, int mode) {
    ObjectManager.HandleResult r = ob.insertObject(table, create(type, label, false),
        ObjectAttributes.unnamed(attributes), WIDGET_ALL_ACCESS, mode);
    if (!r.ok()) {
      throw new AssertionError("insert failed: " + Integer.toHexString(r.status()));
    }
    return r.handle();
  }
}
