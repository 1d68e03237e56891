package org.ntsim.ke;

import java.security.CodeSource;
import java.util.Objects;

/**
 * Whose code raised an exception: the simulator's, which makes it a simulator bug (a
 * {@link KernelInternalError} that names the seed to replay it), or a guest's (a program or
 * driver run on the simulated system), which makes it the guest's failure, as an unhandled
 * exception is on Windows.
 *
 * <p>Models: the frame that decides is the innermost one that is not JDK code ({@code java.*},
 * {@code javax.*}, {@code jdk.*}, {@code sun.*}, {@code com.sun.*}): an index out of bounds
 * raised inside {@code java.util} belongs to whoever called the JDK. That frame is the
 * simulator's when its class is in an {@code org.ntsim} package that no {@link GuestCode}
 * annotation marks (on the package or a parent below {@code org.ntsim}) and, if the class can be
 * loaded, when it comes from the same code source as the kernel: test classes, compiled to
 * another directory, are guests even in the simulator's packages.
 *
 * <p>Invariants: the answer depends only on the frames' class names and the classes on the
 * class path, never on the component a package belongs to: a new component is simulator code
 * from its first line.
 *
 * <p>Left out: the exception's causes; frames of other libraries (they count as guest code).
 */
public final class CodeOrigin {
  private static final String SIMULATOR_ROOT = "org.ntsim";
  private static final String[] JDK_PREFIXES = {"java.", "javax.", "jdk.", "sun.", "com.sun."};
  private static final ClassLoader LOADER = CodeOrigin.class.getClassLoader();
  private static final String SIMULATOR_SOURCE = location(CodeOrigin.class);

  private CodeOrigin() {}

  /** Whether {@code t} was raised by the simulator's own code rather than by a guest's. */
  public static boolean raisedBySimulator(Throwable t) {
    return raisedBySimulator(t.getStackTrace());
  }

  /** Whether the first frame of {@code frames} that is not JDK code is the simulator's. */
  public static boolean raisedBySimulator(StackTraceElement[] frames) {
    for (StackTraceElement frame : frames) {
      if (!isJdk(frame.getClassName())) {
        return isSimulator(frame.getClassName());
      }
    }
    return false; // only JDK frames: nothing of ours was running
  }

  static boolean isJdk(String className) {
    for (String prefix : JDK_PREFIXES) {
      if (className.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the class named {@code className} is the simulator's (not a guest's, not a test's). */
  static boolean isSimulator(String className) {
    if (!className.startsWith(SIMULATOR_ROOT + ".")) {
      return false;
    }
    Class<?> c = load(className);
    if (c != null && !Objects.equals(SIMULATOR_SOURCE, location(c))) {
      return false;
    }
    return !inGuestPackage(className);
  }

  private static boolean inGuestPackage(String className) {
    String pkg = className.substring(0, Math.max(0, className.lastIndexOf('.')));
    for (; pkg.length() > SIMULATOR_ROOT.length(); pkg = pkg.substring(0, pkg.lastIndexOf('.'))) {
      Class<?> info = load(pkg + ".package-info");
      if (info != null && info.isAnnotationPresent(GuestCode.class)) {
        return true;
      }
    }
    return false;
  }

  /** The class, without initialising it; null if there is none by that name (a synthetic frame). */
  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, LOADER);
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }

  /** Where the class was loaded from (a directory or a jar), as text: URL.equals may resolve hosts. */
  private static String location(Class<?> c) {
    CodeSource source = c.getProtectionDomain().getCodeSource();
    return source == null || source.getLocation() == null ? null
        : source.getLocation().toExternalForm();
  }
}
