package org.ntsim.ke;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * KiServiceTable's names: the system services of Windows Vista (SP0, x86) by their numbers, the
 * value ntdll's stub loads into EAX before it traps. The list is NT's whole table (about 390
 * services), read from {@code vista-x86-services.txt} beside this class, so that a number seen in
 * the trace or in {@code !thread} is the number Vista gives the service; the services ntsim
 * implements are a subset, each defined once, in the component that owns it, which names its
 * number here ({@code ServiceTable.number("NtCreateEvent")}).
 *
 * <p>Left out: the argument table (KiArgumentTable; arguments are Java parameters here) and the
 * win32k shadow table.
 */
public final class ServiceTable {
  private static final String[] NAMES;
  private static final TreeMap<String, Integer> NUMBERS = new TreeMap<>();

  static {
    List<String> names = new ArrayList<>();
    try (InputStream in = ServiceTable.class.getResourceAsStream("vista-x86-services.txt")) {
      if (in == null) {
        throw new IllegalStateException("vista-x86-services.txt is missing from the class path");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.trim().split(" ");
        int number = Integer.decode(f[0]);
        if (number != names.size()) {
          throw new IllegalStateException("service table out of order at " + line);
        }
        names.add(f[1]);
        NUMBERS.put(f[1], number);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    NAMES = names.toArray(new String[0]);
  }

  private ServiceTable() {}

  /** KiServiceLimit: the number of services. */
  public static int limit() {
    return NAMES.length;
  }

  /** Every service's name, by number. */
  public static String[] names() {
    return NAMES.clone();
  }

  /** The number of the service {@code name} (e.g. "NtClose"); a name NT lacks is a bug. */
  public static int number(String name) {
    Integer n = NUMBERS.get(name);
    if (n == null) {
      throw new IllegalArgumentException("no system service named " + name);
    }
    return n;
  }

  /** The name of service {@code number} ("NtClose"), or "service 0x..." outside the table. */
  public static String nameOf(int number) {
    return number >= 0 && number < NAMES.length ? NAMES[number]
        : "service 0x" + Integer.toHexString(number);
  }

  /** The kernel's entry point for kernel-mode callers: "ZwClose" for NtClose's number. */
  public static String zwNameOf(int number) {
    String name = nameOf(number);
    return name.startsWith("Nt") ? "Zw" + name.substring(2) : name;
  }
}
