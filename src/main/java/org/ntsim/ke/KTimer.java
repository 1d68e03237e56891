package org.ntsim.ke;

/**
 * KTIMER: a dispatcher object signalled when its due time passes, kept in the kernel's timer
 * table until then; optionally periodic, optionally queueing a DPC on expiry. A notification timer
 * stays signalled and releases every waiter; a synchronization timer releases one and resets.
 *
 * <p>Invariants: {@code inserted} exactly while the timer is in one bucket of the timer table;
 * {@code dueTimeNs} is absolute simulated time.
 */
public final class KTimer extends DispatcherObject {
  long dueTimeNs;
  long periodNs;
  boolean absolute; // Header.Absolute: set for a system time, so it follows KeSetSystemTime
  Kdpc dpc;
  boolean inserted;
  int bucket = -1; // dueTick % TimerTable.SIZE while inserted, else -1
  long dueTick; // the absolute clock tick of its timer table list while inserted
  long tableSeq; // the insertion that put it in the table: equal due times expire in this order
  int listSlot; // its entry in its timer table list, while there (see TimerTable)

  public KTimer(boolean notification, long address) {
    super(notification ? TIMER_NOTIFICATION : TIMER_SYNCHRONIZATION, address);
  }

  public boolean isInserted() {
    return inserted;
  }

  public long dueTimeNs() {
    return dueTimeNs;
  }

  public long periodNs() {
    return periodNs;
  }

  public Kdpc dpc() {
    return dpc;
  }

  /** The timer table list that holds it (the List column of !timer), -1 when not inserted. */
  public int tableIndex() {
    return inserted ? bucket : -1;
  }

  @Override
  void satisfyWait(KThread thread) {
    if (type == TIMER_SYNCHRONIZATION) {
      signalState = 0;
    }
  }

  @Override
  public String typeName() {
    return type == TIMER_NOTIFICATION ? "NotificationTimer" : "SynchronizationTimer";
  }
}
