package org.ntsim.cli;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.Instruction;
import java.lang.classfile.CodeModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.instruction.BranchInstruction;
import java.lang.classfile.instruction.InvokeDynamicInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.classfile.instruction.LabelTarget;
import java.lang.classfile.instruction.LookupSwitchInstruction;
import java.lang.classfile.instruction.NewObjectInstruction;
import java.lang.classfile.instruction.ReturnInstruction;
import java.lang.classfile.instruction.TableSwitchInstruction;
import java.lang.classfile.instruction.ThrowInstruction;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.util.List;

/**
 * Instruments a guest class as it is loaded, with the JDK's class-file API: every straight-line
 * run of bytecodes is charged, as that many guest instructions, through
 * {@link org.ntsim.win32.GuestCpu#charge} just before the instruction that ends it (a branch, a
 * switch, a call, a return, a throw) or the label that another path jumps to. A loop therefore
 * charges on every iteration and can be preempted at its backward branch, and time is charged
 * before each call into ntsim's API, in program order.
 *
 * <p>A guest may touch the machine only through the guest API: a class that starts host threads,
 * reads the host's clock, or opens files or sockets would make a run unrepeatable, and is
 * refused here with a message naming the call.
 *
 * <p>Left out: weighting bytecodes by kind (each counts as one instruction), and charging inside
 * the JDK's own methods that a guest calls (their work is not guest code).
 */
final class GuestInstrumenter {
  private static final ClassDesc GUEST_CPU = ClassDesc.of("org.ntsim.win32.GuestCpu");
  private static final MethodTypeDesc CHARGE = MethodTypeDesc.ofDescriptor("(I)V");

  /** Owners (internal names, or prefixes ending in '/') whose use would break replay. */
  private static final List<String> REFUSED = List.of("java/lang/Thread", "java/lang/ThreadGroup",
      "java/util/concurrent/Executors", "java/util/concurrent/ExecutorService",
      "java/util/concurrent/ForkJoinPool", "java/util/concurrent/CompletableFuture",
      "java/util/Timer", "java/lang/ProcessBuilder", "java/lang/Runtime", "java/io/File",
      "java/io/FileInputStream", "java/io/FileOutputStream", "java/io/RandomAccessFile",
      "java/io/FileReader", "java/io/FileWriter", "java/nio/file/", "java/nio/channels/",
      "java/net/", "java/time/Clock", "java/util/concurrent/ThreadLocalRandom");

  private GuestInstrumenter() {}

  /** The instrumented class file of {@code name}, or a UsageException naming a refused call. */
  static byte[] instrument(String name, byte[] classFile, ClassLoader loader) {
    int major = classFile.length > 8 ? ((classFile[6] & 0xFF) << 8) | (classFile[7] & 0xFF) : 0;
    if (major > ClassFile.latestMajorVersion()) {
      return classFile; // defining it fails with UnsupportedClassVersionError, named as such
    }
    ClassFile cf = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(
        ClassHierarchyResolver.defaultResolver().orElse(
            ClassHierarchyResolver.ofResourceParsing(loader))));
    ClassModel model = cf.parse(classFile);
    refuseHostCalls(name, model);
    return cf.transformClass(model,
        ClassTransform.transformingMethodBodies(CodeTransform.ofStateful(Charger::new)));
  }

  private static void refuseHostCalls(String name, ClassModel model) {
    for (MethodModel m : model.methods()) {
      CodeModel code = m.code().orElse(null);
      if (code == null) {
        continue;
      }
      for (CodeElement e : code) {
        String owner = null;
        String member = null;
        if (e instanceof InvokeInstruction i) {
          owner = i.owner().asInternalName();
          member = i.name().stringValue();
        } else if (e instanceof NewObjectInstruction n) {
          owner = n.className().asInternalName();
          member = "<init>";
        }
        if (owner != null && (refused(owner) || isHostClock(owner, member))) {
          throw new UsageException("guest class " + name + " calls "
              + owner.replace('/', '.') + "." + member + " in " + m.methodName().stringValue()
              + ": a guest touches the machine only through ntsim's API (host threads, clocks,"
              + " files and sockets would make its runs unrepeatable)");
        }
      }
    }
  }

  private static boolean refused(String owner) {
    for (String r : REFUSED) {
      if (r.endsWith("/") ? owner.startsWith(r) : owner.equals(r)) {
        return true;
      }
    }
    return false;
  }

  /** The host's clock: System.nanoTime and currentTimeMillis, and java.time's now(). */
  private static boolean isHostClock(String owner, String member) {
    return owner.equals("java/lang/System")
        && (member.equals("nanoTime") || member.equals("currentTimeMillis"))
        || owner.startsWith("java/time/") && member.equals("now");
  }

  /** One method's rewriting: counts the bytecodes since the last charge. */
  private static final class Charger implements CodeTransform {
    private int pending;

    @Override
    public void accept(CodeBuilder b, CodeElement e) {
      if (e instanceof LabelTarget) {
        flush(b);
        b.with(e);
        return;
      }
      if (e instanceof Instruction) {
        pending++;
        if (endsRun(e)) {
          flush(b);
        }
      }
      b.with(e);
    }

    private static boolean endsRun(CodeElement e) {
      return e instanceof BranchInstruction || e instanceof TableSwitchInstruction
          || e instanceof LookupSwitchInstruction || e instanceof ReturnInstruction
          || e instanceof ThrowInstruction || e instanceof InvokeInstruction
          || e instanceof InvokeDynamicInstruction;
    }

    private void flush(CodeBuilder b) {
      if (pending > 0) {
        b.loadConstant(pending);
        b.invokestatic(GUEST_CPU, "charge", CHARGE);
        pending = 0;
      }
    }
  }
}
