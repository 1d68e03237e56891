package org.ntsim.cli;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.ntsim.labs.Lab;
import org.ntsim.labs.Labs;
import org.ntsim.win32.GuestProgram;
import picocli.CommandLine.Option;

/**
 * Finds a user's guest program for {@code ntsim run} and {@code ntsim kd}: a compiled class,
 * loaded through a class loader over {@code --classpath} (then CLASSPATH, then the current
 * directory) whose parent holds ntsim's own classes; or a single source file, compiled in memory
 * against ntsim's classes as {@code java File.java} does. A guest that cannot be found, compiled,
 * loaded or linked is a UsageException naming the class and the cause.
 */
final class GuestLoader {
  private GuestLoader() {}

  /** The option that says where guest classes are. */
  static final class Options {
    @Option(names = {"--classpath", "--class-path", "-cp"}, paramLabel = "PATH",
        description = "directories and jars (separated by ':', ';' on Windows) where a"
        + " guest class is found (default: CLASSPATH, else the current directory)")
    String classPath;
  }

  /** The lab for {@code name}: a source file, or a class implementing GuestProgram or Lab. */
  static Lab lab(String name, List<String> args, String classPath) {
    ClassLoader loader = classLoader(classPath);
    Class<?> c = name.endsWith(".java") ? compile(Path.of(name), loader, classPath)
        : load(name, loader);
    Object instance = instantiate(c);
    if (instance instanceof GuestProgram program) {
      return new GuestLab(c.getName(), program, args.toArray(String[]::new));
    }
    if (instance instanceof Lab lab) {
      if (!args.isEmpty()) {
        throw new UsageException("the lab " + c.getName() + " takes no arguments");
      }
      return lab;
    }
    throw new UsageException(c.getName() + " is not a guest program (it does not implement "
        + GuestProgram.class.getName() + ")");
  }

  private static ClassLoader classLoader(String classPath) {
    String path = classPath != null ? classPath : System.getenv("CLASSPATH");
    if (path == null || path.isBlank()) {
      path = ".";
    }
    List<URL> urls = new ArrayList<>();
    for (String entry : path.split(File.pathSeparator)) {
      if (entry.isEmpty()) {
        continue;
      }
      Path p = Path.of(entry);
      if (classPath != null && !Files.exists(p)) {
        throw new UsageException("--classpath: " + entry + " does not exist");
      }
      try {
        urls.add(p.toUri().toURL());
      } catch (MalformedURLException e) {
        throw new UsageException("--classpath: '" + entry + "' is not a path");
      }
    }
    return new URLClassLoader("guest", urls.toArray(URL[]::new), Main.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        URL url = findResource(name.replace('.', '/') + ".class");
        if (url == null) {
          throw new ClassNotFoundException(name);
        }
        byte[] b;
        try (java.io.InputStream in = url.openStream()) {
          b = in.readAllBytes();
        } catch (IOException e) {
          throw new ClassNotFoundException(name, e);
        }
        b = GuestInstrumenter.instrument(name, b, this);
        return defineClass(name, b, 0, b.length);
      }
    };
  }

  private static Class<?> load(String name, ClassLoader loader) {
    try {
      return Class.forName(name, false, loader);
    } catch (ClassNotFoundException e) {
      throw new UsageException("no lab or guest class called '" + name + "' (built-in labs: "
          + String.join(", ", Labs.names()) + "; a class is looked for on --classpath, or"
          + " give a .java file)");
    } catch (UnsupportedClassVersionError e) {
      throw tooNew(name, e);
    } catch (LinkageError e) {
      throw cannotLink(name, e);
    }
  }

  private static Object instantiate(Class<?> c) {
    try {
      return c.getDeclaredConstructor().newInstance();
    } catch (NoSuchMethodException e) {
      throw new UsageException(c.getName() + " has no constructor without parameters");
    } catch (IllegalAccessException e) {
      throw new UsageException(c.getName() + " cannot be created: its class or constructor is"
          + " not public");
    } catch (InstantiationException e) {
      throw new UsageException(c.getName() + " cannot be created: it is abstract");
    } catch (InvocationTargetException e) {
      throw new UsageException(c.getName() + " cannot be created: its constructor threw "
          + e.getCause());
    } catch (UnsupportedClassVersionError e) {
      throw tooNew(c.getName(), e);
    } catch (LinkageError e) {
      throw cannotLink(c.getName(), e);
    }
  }

  private static UsageException cannotLink(String name, LinkageError e) {
    Throwable cause = e instanceof ExceptionInInitializerError && e.getCause() != null
        ? e.getCause() : e;
    return new UsageException("guest class " + name + " cannot be loaded: "
        + cause.getClass().getSimpleName() + ": " + cause.getMessage());
  }

  private static UsageException tooNew(String name, UnsupportedClassVersionError e) {
    int feature = Runtime.version().feature();
    return new UsageException("guest class " + name + " was compiled for a newer Java than this"
        + " one (Java " + feature + ", class file version " + (44 + feature) + "): compile it"
        + " with javac --release " + feature + ", or run ntsim on a newer JDK (" + e.getMessage()
        + ")");
  }

  /**
   * Compiles one source file in memory and returns its guest class: the top-level class named as
   * the file, or else the first one that implements GuestProgram. javac's diagnostics go to
   * standard error as javac prints them.
   */
  private static Class<?> compile(Path source, ClassLoader parent, String classPath) {
    if (!Files.isRegularFile(source)) {
      throw new UsageException("no source file " + source);
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new UsageException("compiling " + source + " needs a JDK (this Java has no javac)");
    }
    String cp = ntsimClassPath() + (classPath == null ? "" : File.pathSeparator + classPath);
    Map<String, ByteArrayOutputStream> classes = new LinkedHashMap<>();
    PrintWriter err = new PrintWriter(System.err, true);
    boolean ok;
    try (StandardJavaFileManager files = javac.getStandardFileManager(null, null,
        StandardCharsets.UTF_8)) {
      JavaFileManager inMemory = new ForwardingJavaFileManager<>(files) {
        @Override
        public JavaFileObject getJavaFileForOutput(Location location, String className,
            JavaFileObject.Kind kind, FileObject sibling) {
          return new SimpleJavaFileObject(java.net.URI.create("mem:///" + className
              + kind.extension), kind) {
            @Override
            public OutputStream openOutputStream() {
              return classes.computeIfAbsent(className, k -> new ByteArrayOutputStream());
            }
          };
        }
      };
      ok = javac.getTask(err, inMemory, null, List.of("-classpath", cp, "-proc:none",
          "-Xlint:deprecation"), null, files.getJavaFileObjects(source)).call();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    err.flush();
    if (!ok) {
      throw new UsageException(source + " does not compile (javac's messages above)");
    }
    ClassLoader loader = new ClassLoader("guest-source", parent) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        ByteArrayOutputStream bytes = classes.get(name);
        if (bytes == null) {
          throw new ClassNotFoundException(name);
        }
        byte[] b = GuestInstrumenter.instrument(name, bytes.toByteArray(), this);
        return defineClass(name, b, 0, b.length);
      }
    };
    String stem = source.getFileName().toString().replaceFirst("\\.java$", "");
    Class<?> first = null;
    for (String name : classes.keySet()) {
      if (name.contains("$")) {
        continue;
      }
      Class<?> c = load(name, loader);
      if (!GuestProgram.class.isAssignableFrom(c) && !Lab.class.isAssignableFrom(c)) {
        continue;
      }
      if (name.equals(stem) || name.endsWith("." + stem)) {
        return c;
      }
      if (first == null) {
        first = c;
      }
    }
    if (first == null) {
      throw new UsageException(source + " declares no class that implements "
          + GuestProgram.class.getName());
    }
    return first;
  }

  /** Where ntsim's own classes are, for javac: the directory or jar that holds them. */
  private static String ntsimClassPath() {
    try {
      return Path.of(GuestProgram.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI()).toString();
    } catch (URISyntaxException | NullPointerException e) {
      return System.getProperty("java.class.path");
    }
  }
}
