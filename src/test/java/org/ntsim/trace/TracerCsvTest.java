package org.ntsim.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TracerCsvTest {
  @TempDir Path dir;

  @Test
  void writesAHeaderAndOneLinePerEventInOrder() throws IOException {
    Tracer tracer = new Tracer(true);
    tracer.emit(0, 0, TraceKind.CONTEXT_SWITCH, 0, 8, 0);
    tracer.emit(1500, 1, TraceKind.READY, 12, 9, -1);
    tracer.emit(2000, -1, TraceKind.PROCESS_EXIT, 4, -1073741819, 0);
    Path file = dir.resolve("trace.csv");

    tracer.writeCsv(file);

    assertThat(Files.readAllLines(file)).containsExactly(
        "time_ns,cpu,event,a,b,c",
        "0,0,CONTEXT_SWITCH,0,8,0",
        "1500,1,READY,12,9,-1",
        "2000,-1,PROCESS_EXIT,4,-1073741819,0");
  }

  @Test
  void anEmptyTraceHasOnlyTheHeader() throws IOException {
    Path file = dir.resolve("empty.csv");

    new Tracer(true).writeCsv(file);

    assertThat(Files.readAllLines(file)).containsExactly("time_ns,cpu,event,a,b,c");
  }
}
