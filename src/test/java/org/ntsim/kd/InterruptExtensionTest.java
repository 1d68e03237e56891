package org.ntsim.kd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ntsim.ke.KInterrupt;
import org.ntsim.ke.Kernel;
import org.ntsim.win32.TestOs;

/** {@code !idt}: the HAL's vectors, a shared vector's chain, and a vector asked for by number. */
class InterruptExtensionTest {
  private TestOs sys;

  @AfterEach
  void shutDown() {
    if (sys != null) {
      sys.close();
    }
  }

  private KInterrupt connect(Kernel kernel, String name) {
    KInterrupt i = kernel.initializeInterrupt(name, (self, context) -> false, null, null, 0x62, 10,
        10, KInterrupt.LEVEL_SENSITIVE, true, 0, kernel.staticAddress(0x270));
    kernel.connectInterrupt(i);
    return i;
  }

  @Test
  void listsTheHalVectorsAndEachObjectOfASharedVector() {
    sys = TestOs.boot(1);
    Kernel kernel = sys.os.kernel;
    KInterrupt disk = connect(kernel, "atapi!IdePortInterrupt");
    KInterrupt usb = connect(kernel, "USBPORT!USBPORT_InterruptService");

    String text = InterruptExtension.idt(kernel, 0, "");

    assertThat(text).startsWith("\nDumping IDT:\n\n");
    assertThat(text).contains(String.format("62:%08x atapi!IdePortInterrupt (KINTERRUPT %08x)%n"
        + "         USBPORT!USBPORT_InterruptService (KINTERRUPT %08x)%n",
        disk.address + KInterrupt.DISPATCH_CODE_OFFSET, disk.address, usb.address));
    assertThat(text).contains("d1:806d3dd4 hal!HalpClockInterrupt");
    assertThat(text).contains("e1:806d4f30 hal!HalpIpiHandler");
    assertThat(text).doesNotContain("KiUnexpectedInterrupt");
  }

  @Test
  void aVectorAskedForByNumberThatNothingUsesIsNotConnected() {
    sys = TestOs.boot(1);

    assertThat(InterruptExtension.idt(sys.os.kernel, 0, "70"))
        .isEqualTo(String.format("\nDumping IDT:\n\nVector 70 not connected%n"));
  }
}
