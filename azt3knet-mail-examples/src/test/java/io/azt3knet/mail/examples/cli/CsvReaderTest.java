package io.azt3knet.mail.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CsvReaderTest {

    static List<CsvReader.Record> readAll(String csv) throws IOException {
        CsvReader reader = new CsvReader(new StringReader(csv));
        List<CsvReader.Record> records = new ArrayList<>();
        for (Optional<CsvReader.Record> r = reader.next(); r.isPresent(); r = reader.next()) {
            records.add(r.get());
        }
        return records;
    }

    @Test
    void readsQuotedFieldsWithCommasDoubledQuotesAndLineBreaks() throws IOException {
        assertThat(readAll("\"Mary, Ann\",\"O\"\"Neil\",\"two\r\nlines\",\"\"\r\nnext,line\r\n")).containsExactly(
                new CsvReader.Record(1, List.of("Mary, Ann", "O\"Neil", "two\r\nlines", "")),
                new CsvReader.Record(3, List.of("next", "line")));
    }

    @Test
    void acceptsLfCrAndCrlfAndALastRecordWithoutLineBreak() throws IOException {
        assertThat(readAll("a,b\nc,d\re,f\r\ng,h")).extracting(CsvReader.Record::line).containsExactly(1L, 2L, 3L, 4L);
        assertThat(readAll("a,b\nc,d\re,f\r\ng,h").get(3).fields()).containsExactly("g", "h");
    }

    @Test
    void keepsEmptyFieldsAndSkipsEmptyLines() throws IOException {
        assertThat(readAll(",,\n\n\"\"\n")).containsExactly(
                new CsvReader.Record(1, List.of("", "", "")), new CsvReader.Record(3, List.of("")));
    }

    @Test
    void countsLinesInsideQuotedFieldsWhenReportingErrors() {
        assertThatThrownBy(() -> readAll("a,\"x\ny\"\nb,c\"d\n"))
                .isInstanceOf(CliException.class)
                .hasMessage("line 3: malformed CSV: a quote inside an unquoted field; put the field in quotes and double the quote");
        assertThatThrownBy(() -> readAll("a,b\n\"x\"y,z\n"))
                .hasMessageContaining("line 2: malformed CSV: text after a closing quote");
    }

    @Test
    void stopsARunawayQuotedField() {
        String runaway = "a,\"" + "x".repeat(CsvReader.MAX_RECORD_CHARS + 1);
        assertThatThrownBy(() -> readAll(runaway)).isInstanceOf(CliException.class)
                .hasMessageContaining("line 1: malformed CSV: the record is longer than 65536 characters");
    }
}
