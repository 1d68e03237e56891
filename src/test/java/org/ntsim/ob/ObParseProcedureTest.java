package org.ntsim.ob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.ob.ObTestSupport.USER_MODE;
import static org.ntsim.ob.ObTestSupport.WIDGET_ALL_ACCESS;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ntsim.ke.NtStatus;
import org.ntsim.ob.ObTestSupport.Widget;
import org.ntsim.ob.TypeProcedures.ParseResult;

/**
 * A name that reaches an object whose type has a parse procedure continues in that procedure's
 * namespace, as \Device\HarddiskVolume1\dir\file.txt continues in the I/O manager's: here a
 * synthetic volume type makes a file object for each path it knows, as IopParseDevice makes a
 * FILE_OBJECT per open.
 */
class ObParseProcedureTest {
  private final ObTestSupport t = new ObTestSupport();
  private final List<String> parses = new ArrayList<>();
  private final List<String> deleted = new ArrayList<>();

  private final ObjectType fileType = ObTestSupport.widgetType("File", ObTestSupport.widgets()
      .deleteProcedure(object -> deleted.add(object.toString())));
  private final ObjectType volumeType = ObTestSupport.widgetType("Volume", ObTestSupport.widgets()
      .parseProcedure(this::parseVolume));

  /**
   * The volume's parse procedure: the volume itself for an empty rest, a new file object for a
   * known path, a reparse for "\moved", STATUS_OBJECT_NAME_NOT_FOUND for anything else.
   */
  private ParseResult parseVolume(Object volume, ObjectType type, int access, int mode,
      int attributes, String complete, String rest, Object context) {
    parses.add(volume + " " + (type == null ? "any" : type.name) + " "
        + Integer.toHexString(access) + " " + mode + " " + Integer.toHexString(attributes) + " "
        + complete + " [" + rest + "] " + context);
    if (rest.isEmpty()) {
      t.ob.reference(ObjectManager.headerOf(volume));
      return ParseResult.found(volume);
    }
    if (rest.equals("\\moved")) {
      return ParseResult.reparse("\\Device\\Vol2\\dir\\file.txt");
    }
    if (rest.equals("\\dir\\file.txt")) {
      ObjectHeader file = t.create(fileType, volume + rest, false);
      return ParseResult.found(file.body);
    }
    return ParseResult.failed(ObStatus.STATUS_OBJECT_NAME_NOT_FOUND);
  }

  private void volume(String path, String label) {
    ObjectManager.HandleResult r = t.ob.insertObject(t.tableA, t.create(volumeType, label, true),
        ObjectAttributes.named(path), WIDGET_ALL_ACCESS, USER_MODE);
    assertThat(r.ok()).isTrue();
  }

  private ObjectManager.HandleResult open(String path, ObjectType type) {
    return t.ob.openObjectByName(t.tableA, ObjectAttributes.named(path), type,
        ObjectManager.SYNCHRONIZE, USER_MODE, "ctx");
  }

  @Test
  void theRestOfANamePastAVolumeIsResolvedByTheVolumesParseProcedure() {
    volume("\\Device\\Vol", "vol");

    ObjectManager.HandleResult r = open("\\Device\\Vol\\dir\\file.txt", fileType);

    assertThat(r.ok()).isTrue();
    assertThat(t.tableA.entry(r.handle()).body.toString()).isEqualTo("vol\\dir\\file.txt");
    assertThat(parses).containsExactly(
        "vol File 100000 1 0 \\Device\\Vol\\dir\\file.txt [\\dir\\file.txt] ctx");
  }

  @Test
  void theObjectAParseProcedureMadeLivesExactlyAsLongAsItsHandle() {
    volume("\\Device\\Vol", "vol");
    long handle = open("\\Device\\Vol\\dir\\file.txt", fileType).handle();
    ObjectHeader file = t.tableA.entry(handle);

    assertThat(file.pointerCount()).isEqualTo(1);
    assertThat(file.handleCount()).isEqualTo(1);
    t.ob.close(t.tableA, handle);

    assertThat(file.isDeleted()).isTrue();
    assertThat(deleted).containsExactly("vol\\dir\\file.txt");
  }

  @Test
  void aParseProceduresFailureIsTheOpensStatus() {
    volume("\\Device\\Vol", "vol");

    ObjectManager.HandleResult r = open("\\Device\\Vol\\missing", fileType);

    assertThat(r.status()).isEqualTo(ObStatus.STATUS_OBJECT_NAME_NOT_FOUND);
    assertThat(t.tableA.count()).isEqualTo(1); // the volume's own handle
  }

  @Test
  void aReparseStartsAgainFromTheRootWithTheNewName() {
    volume("\\Device\\Vol", "vol");
    volume("\\Device\\Vol2", "vol2");

    ObjectManager.HandleResult r = open("\\Device\\Vol\\moved", fileType);

    assertThat(r.ok()).isTrue();
    assertThat(t.tableA.entry(r.handle()).body.toString()).isEqualTo("vol2\\dir\\file.txt");
    assertThat(parses).containsExactly(
        "vol File 100000 1 0 \\Device\\Vol\\moved [\\moved] ctx",
        "vol2 File 100000 1 0 \\Device\\Vol2\\dir\\file.txt [\\dir\\file.txt] ctx");
  }

  @Test
  void aSymbolicLinkOnTheWayIsParsedFirstAndTheVolumeSeesTheNameItLeadsTo() {
    volume("\\BaseNamedObjects\\Vol", "vol");

    ObjectManager.HandleResult r = open("\\BaseNamedObjects\\Global\\Vol\\dir\\file.txt",
        fileType);

    assertThat(r.ok()).isTrue();
    assertThat(parses).containsExactly(
        "vol File 100000 1 0 \\BaseNamedObjects\\Vol\\dir\\file.txt [\\dir\\file.txt] ctx");
  }

  @Test
  void aNameThatEndsAtTheVolumeStillGoesThroughItsParseProcedure() {
    volume("\\Device\\Vol", "vol");

    ObjectManager.HandleResult r = open("\\Device\\Vol", volumeType);

    assertThat(r.ok()).isTrue();
    assertThat(((Widget) t.tableA.entry(r.handle()).body).label).isEqualTo("vol");
    assertThat(parses).containsExactly("vol Volume 100000 1 0 \\Device\\Vol [] ctx");
    assertThat(t.tableA.entry(r.handle()).pointerCount()).isEqualTo(2); // two handles
  }

  @Test
  void anObjectOfAnotherTypeThanWantedIsAMismatchAndIsLetGo() {
    volume("\\Device\\Vol", "vol");

    ObjectManager.HandleResult r = open("\\Device\\Vol\\dir\\file.txt", volumeType);

    assertThat(r.status()).isEqualTo(NtStatus.STATUS_OBJECT_TYPE_MISMATCH);
    assertThat(deleted).containsExactly("vol\\dir\\file.txt");
  }

  @Test
  void anInsertionUnderAVolumeDoesNotParseAndFindsNoDirectory() {
    volume("\\Device\\Vol", "vol");

    ObjectManager.HandleResult r = t.ob.insertObject(t.tableA, t.create(fileType, "f", true),
        ObjectAttributes.named("\\Device\\Vol\\new"), WIDGET_ALL_ACCESS, USER_MODE);

    assertThat(r.status()).isEqualTo(NtStatus.STATUS_OBJECT_TYPE_MISMATCH);
    assertThat(parses).isEmpty();
  }

  @Test
  void aLoopOfReparsesEndsWithObjectNameNotFound() {
    ObjectType loopType = ObTestSupport.widgetType("Loop", ObTestSupport.widgets()
        .parseProcedure((o, type, a, m, at, complete, rest, c) -> ParseResult.reparse(complete)));
    ObjectManager.HandleResult inserted = t.ob.insertObject(t.tableA,
        t.create(loopType, "loop", true), ObjectAttributes.named("\\Device\\Loop"),
        WIDGET_ALL_ACCESS, USER_MODE);
    assertThat(inserted.ok()).isTrue();

    assertThat(open("\\Device\\Loop\\x", null).status())
        .isEqualTo(ObStatus.STATUS_OBJECT_NAME_NOT_FOUND);
  }
}
