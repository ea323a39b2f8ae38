package io.azt3knet.mail.naming;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class NameSanitizerTest {

    private static final NameSanitizer WITHOUT_ICU = new NameSanitizer(Optional.empty());
    private static final NameSanitizer WITH_ICU = new NameSanitizer(Optional.of(new IcuTransliteration()));

    @ParameterizedTest
    @CsvSource({
        "Straße, strasse", "STRASSE, strasse", "ẞ, ss", "Æbelø, aebelo", "Œdipe, oedipe", "Łódź, lodz",
        "Đorđe, dorde", "Þór Guðmundsdóttir, thorgudmundsdottir", "İstanbul ılık, istanbulilik", "Əli, eli",
        "José María, josemaria", "Nguyễn Thị Minh Khai, nguyenthiminhkhai", "Ångström, angstrom",
        "Ｆｕｌｌｗｉｄｔｈ１２, fullwidth12", "ﬁnn, finn", "O'Connor-Smith Jr., oconnorsmithjr", "٣٤, 34"})
    void foldsLatinLettersToAscii(String in, String expected) {
        assertThat(WITHOUT_ICU.sanitize(in)).isEqualTo(expected);
        assertThat(WITH_ICU.sanitize(in)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "Сергей Дмитриевич, sergeydmitrievich", "Наталья, natalya", "Яна Юрьевна, yanayurevna",
        "Щукин, shchukin", "Цветаева, tsvetaeva", "Чайковский, chaykovskiy", "Эдуард, eduard", "Пётр, petr",
        "Объект, obekt", "Ксения, kseniya", "Україна Їжак Ґанок Єва, ukrayinayizhakganokyeva",
        "Ђорђе Љиљана Њего Џон Ћирић, djordjeljiljananjegodzonciric", "Ўладзімір, uladzimir"})
    void romanizesCyrillicReadablyWithoutIcu(String in, String expected) {
        assertThat(WITHOUT_ICU.sanitize(in)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "Γιώργος, giorgos", "Χρήστος, christos", "Δημήτρης, dimitris", "Αικατερίνη, aikaterini",
        "Ευάγγελος, evangelos", "Ευθύμιος, efthymios", "Αυγή, avgi", "Ουρανία, ourania", "Ψυχή, psychi",
        "Θεόδωρος, theodoros", "Σωκράτης, sokratis", "Ταΰγετος, taygetos", "Άγκυρα, agkyra",
        "Σφίγξ, sfinx", "ΑΛΕΞΑΝΔΡΟΣ, alexandros", "Ἀθηνᾶ, athina"})
    void romanizesGreekByModernPronunciationWithoutIcu(String in, String expected) {
        assertThat(WITHOUT_ICU.sanitize(in)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"Юлия Жукова", "Хрущёв", "Γιώργος Παπαδόπουλος", "Ευάγγελος", "Zoë Ørsted", "Straße"})
    void givesCyrillicGreekAndLatinTheSameResultWithAndWithoutIcu(String in) {
        assertThat(WITH_ICU.sanitize(in)).isEqualTo(WITHOUT_ICU.sanitize(in)).isNotEmpty();
    }

    @ParameterizedTest
    @CsvSource({"王伟, wangwei", "李娜, lina", "山田 たろう, shantiantarou", "カタカナ, katakana", "김민준, gimminjun",
        "محمد, mhmd", "דוד, dwd", "राम, rama", "Ivan 王, ivanwang"})
    void transliteratesOtherScriptsWithIcu(String in, String expected) {
        assertThat(WITH_ICU.sanitize(in)).isEqualTo(expected);
    }

    @Test
    void dropsOtherScriptsWithoutIcu() {
        assertThat(WITHOUT_ICU.sanitize("王伟")).isEmpty();
        assertThat(WITHOUT_ICU.sanitize("Ivan 王")).isEqualTo("ivan");
    }

    @Test
    void keepsOnlyLowerCaseLettersAndDigits() {
        String hostile = "a\r\nb@c/d\"e'f`g<h>i\\j k\u0000l\u2028m\u202En;o:p,q=r%0d";
        assertThat(WITH_ICU.sanitize(hostile)).isEqualTo("abcdefghijklmnopqr0d");
    }

    @org.junit.jupiter.api.Test
    void readsOnlyTheStartOfAHugeComponentSoThatHostileInputCostsLittle() {
        String cjk = "张伟王芳李娜刘洋陈静".repeat(6_000); // 60,000 characters
        String emoji = "\uD83D\uDE00".repeat(300) + "john"; // past the limit: the name is dropped, not half-read

        String folded = NameSanitizer.STANDARD.sanitize(cjk);

        assertThat(folded).isEqualTo(NameSanitizer.STANDARD.sanitize(cjk.substring(0, NameSanitizer.MAX_INPUT_CODE_POINTS)));
        assertThat(folded).startsWith("zhangweiwangfang");
        assertThat(NameSanitizer.STANDARD.sanitize(emoji)).isEmpty();
    }
}
