package org.ntsim.kd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ntsim.win32.Kernel32;

/** {@code !object \Path}: named objects, directories with their entries, and symbolic links. */
class KdObjectPathTest {

  @Test
  void aNamedEventShowsItsHeaderNameAndState() {
    try (KdSession s = new KdSession(1, 1_000 * KdSession.MS)) {
      s.os.launch("named.exe", ctx -> {
        ctx.kernel32().CreateEventW(null, true, true, "Ready");
        ctx.kernel32().Sleep(Kernel32.INFINITE);
        return 0;
      });
      s.run("g 10ms");
      String out = s.run("!object \\BaseNamedObjects\\Ready");
      assertThat(out).containsPattern("Object: [0-9a-f]{8}  Type: \\([0-9a-f]{8}\\) Event\n")
          .contains("HandleCount: 1  PointerCount: 1")
          .containsPattern("Directory Object: [0-9a-f]{8}  Name: Ready\n")
          .contains("NotificationEvent  SignalState 1");
    }
  }

  @Test
  void aDirectoryListsItsEntriesByHashBucket() {
    try (KdSession s = new KdSession(1, 1_000 * KdSession.MS)) {
      String out = s.run("!object \\");
      assertThat(out).containsPattern(" 23  [0-9a-f]{8} Directory +BaseNamedObjects\n")
          .containsPattern(" 26  [0-9a-f]{8} Directory +ObjectTypes\n");
    }
  }

  @Test
  void aMissingPathIsReported() {
    try (KdSession s = new KdSession(1, 1_000 * KdSession.MS)) {
      assertThat(s.run("!object \\NoSuchThing")).contains("Object \\NoSuchThing not found");
    }
  }

  /** NT's directory hash: h += (h << 1) + (h >> 1) + upcase(c), mod 37. */
  @Test
  void hashBucketsFollowNtsDirectoryHash() {
    assertThat(ObjectExtension.hashBucket("A")).isEqualTo(65 % 37);
    assertThat(ObjectExtension.hashBucket("a")).isEqualTo(65 % 37);
    int h = 65;
    h += (h << 1) + (h >>> 1) + 66;
    assertThat(ObjectExtension.hashBucket("ab")).isEqualTo(h % 37);
  }
}
