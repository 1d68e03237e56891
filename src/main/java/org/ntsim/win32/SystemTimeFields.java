package org.ntsim.win32;

/**
 * SYSTEMTIME, as GetSystemTime fills it and SetSystemTime reads it: a UTC date and time in
 * fields. {@code wDayOfWeek} is 0 for Sunday; SetSystemTime ignores it.
 */
public final class SystemTimeFields {
  public int wYear;
  public int wMonth;
  public int wDayOfWeek;
  public int wDay;
  public int wHour;
  public int wMinute;
  public int wSecond;
  public int wMilliseconds;

  public SystemTimeFields() {}

  public SystemTimeFields(int year, int month, int day, int hour, int minute, int second,
      int milliseconds) {
    wYear = year;
    wMonth = month;
    wDay = day;
    wHour = hour;
    wMinute = minute;
    wSecond = second;
    wMilliseconds = milliseconds;
  }
}
