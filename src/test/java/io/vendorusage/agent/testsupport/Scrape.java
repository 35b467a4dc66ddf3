package io.vendorusage.agent.testsupport;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the Prometheus exposition of the management port, as a scraper would. */
public final class Scrape {

    private final String text;

    private Scrape(String text) {
        this.text = text;
    }

    public static Scrape of(URL metrics) {
        return new Scrape(given().accept("text/plain").get(metrics).then().statusCode(200).extract().asString());
    }

    public String text() {
        return text;
    }

    /** @param series a name, or a name with the start of its labels: {@code name{reason="x"} */
    public double value(String series) {
        Matcher m = matcher(series);
        assertTrue(m.find(), series + " missing from:\n" + text);
        return Double.parseDouble(m.group(1));
    }

    public double valueOrZero(String series) {
        Matcher m = matcher(series);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    public boolean has(String series) {
        return matcher(series).find();
    }

    private Matcher matcher(String series) {
        return Pattern.compile("(?m)^" + Pattern.quote(series) + "(?:,?\\}|[,{][^}]*\\})? ([0-9.eE+-]+|NaN)$")
                .matcher(text);
    }
}
