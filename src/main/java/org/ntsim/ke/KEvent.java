package org.ntsim.ke;

/**
 * KEVENT: a notification event (stays signalled, releases every waiter) or a synchronization event
 * (auto-reset: releases one waiter and resets).
 */
public final class KEvent extends DispatcherObject {
  /** EVENT_INCREMENT: the priority boost a thread gets when an event releases it. */
  public static final int EVENT_INCREMENT = 1;

  public KEvent(boolean notification, boolean initialState, long address) {
    super(notification ? EVENT_NOTIFICATION : EVENT_SYNCHRONIZATION, address);
    signalState = initialState ? 1 : 0;
  }

  public boolean isNotification() {
    return type == EVENT_NOTIFICATION;
  }

  @Override
  void satisfyWait(KThread thread) {
    if (type == EVENT_SYNCHRONIZATION) {
      signalState = 0;
    }
  }

  @Override
  public String typeName() {
    return type == EVENT_NOTIFICATION ? "NotificationEvent" : "SynchronizationEvent";
  }
}
