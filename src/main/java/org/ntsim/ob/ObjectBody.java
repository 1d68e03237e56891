package org.ntsim.ob;

/**
 * The body of an executive object that is not a dispatcher object (a directory, a symbolic link,
 * an object type, an executive timer; later a file, a device, a driver, a section): what
 * OBJECT_TO_OBJECT_HEADER reaches in NT by subtracting the header's size from the body's address.
 *
 * <p>Why a base class and a slot in ke: in NT every body sits right behind its OBJECT_HEADER, so
 * the header is a fixed offset away. Here bodies are Java objects, so each one holds a link to its
 * header. Java has single inheritance and ke sits below ob, so dispatcher objects (events,
 * mutants, semaphores, timers, queues, and EPROCESS and ETHREAD through KPROCESS and KTHREAD) keep
 * the slot {@code ke.DispatcherObject.objectHeader} that the kernel never reads, and every other
 * body extends this class. {@link ObjectManager#headerOf(Object)} is the one way in for both; the
 * object manager alone fills either slot, when it creates the object.
 *
 * <p>Invariant: {@code objectHeader} is null until the object manager creates the object, then
 * names the header whose {@code body} is this object, for good (a deleted object keeps it).
 */
public abstract class ObjectBody {
  ObjectHeader objectHeader;

  protected ObjectBody() {}

  /** OBJECT_TO_OBJECT_HEADER: this body's header, or null before the object is created. */
  public final ObjectHeader objectHeader() {
    return objectHeader;
  }
}
