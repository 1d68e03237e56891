package org.ntsim.ke;

/**
 * The priority increments a driver passes to IoCompleteRequest, by device type (wdm.h's
 * IO_*_INCREMENT; Windows Internals 5th ed., ch. 5, "Priority Boosts" table of I/O boosts): the
 * requesting thread's unwait boost when its I/O completes. Kept here, with the dispatcher's own
 * increments ({@link KEvent#EVENT_INCREMENT}, {@link KSemaphore#SEMAPHORE_INCREMENT},
 * {@link KMutant#MUTANT_INCREMENT}, {@link Kernel#TIMER_EXPIRE_INCREMENT}), for the I/O manager
 * to come; nothing uses them yet.
 */
public final class IoPriorityIncrements {
  public static final int IO_NO_INCREMENT = 0;
  public static final int IO_CD_ROM_INCREMENT = 1;
  public static final int IO_DISK_INCREMENT = 1;
  public static final int IO_PARALLEL_INCREMENT = 1;
  public static final int IO_VIDEO_INCREMENT = 1;
  public static final int IO_MAILSLOT_INCREMENT = 2;
  public static final int IO_NAMED_PIPE_INCREMENT = 2;
  public static final int IO_NETWORK_INCREMENT = 2;
  public static final int IO_SERIAL_INCREMENT = 2;
  public static final int IO_KEYBOARD_INCREMENT = 6;
  public static final int IO_MOUSE_INCREMENT = 6;
  public static final int IO_SOUND_INCREMENT = 8;

  private IoPriorityIncrements() {}
}
