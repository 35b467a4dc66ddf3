package io.vendorusage.agent.submission.period;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The billing periods of one customer org, from the periods Genesys named for it. Periods follow monthly on the
 * anchor of a named period (its day of month and time of day, clamped at month end and computed from the anchor
 * each time, so an anchor on the 31st gives the 30th in April, the 28th or 29th in February and the 31st again in
 * May). A named period that does not follow (a renewal, a changed contract) wins from its start.
 * <ul>
 * <li>Inside a named period: that period, {@link PeriodSource#UPSTREAM}.</li>
 * <li>Before the first named period, or between two: the anchor of the named period before (or of the first),
 * cut at the next named start; {@link PeriodSource#UPSTREAM}, since such a period closed before a period Genesys
 * named began.</li>
 * <li>After the last named period: monthly on its anchor, {@link PeriodSource#ASSUMED} until Genesys names it.</li>
 * <li>With no named period: the UTC calendar month, {@link PeriodSource#ASSUMED}.</li>
 * </ul>
 */
public final class PeriodCalendar {

    private static final PeriodCalendar UNKNOWN = new PeriodCalendar(List.of());

    /** Named periods by start, each cut at the next one's start. */
    private final List<KnownPeriod> named;

    private PeriodCalendar(List<KnownPeriod> named) {
        this.named = named;
    }

    public static PeriodCalendar unknown() {
        return UNKNOWN;
    }

    /** @param periods the periods Genesys named, in any order; of two with one start, the later in the list wins */
    public static PeriodCalendar of(Collection<KnownPeriod> periods) {
        List<KnownPeriod> sorted = new ArrayList<>();
        for (KnownPeriod p : periods) {
            sorted.removeIf(q -> q.start().equals(p.start()));
            sorted.add(p);
        }
        sorted.sort(Comparator.comparing(KnownPeriod::start));
        List<KnownPeriod> cut = new ArrayList<>(sorted.size());
        for (int i = 0; i < sorted.size(); i++) {
            KnownPeriod p = sorted.get(i);
            Instant next = i + 1 < sorted.size() ? sorted.get(i + 1).start() : null;
            cut.add(next != null && next.isBefore(p.end()) ? new KnownPeriod(p.start(), next) : p);
        }
        return new PeriodCalendar(List.copyOf(cut));
    }

    /** @return the named periods, by start, each cut at the next start */
    public List<KnownPeriod> named() {
        return named;
    }

    /** @return whether a named period holds {@code instant} (no fetch is needed for it) */
    public boolean names(Instant instant) {
        return named.stream().anyMatch(p -> !instant.isBefore(p.start()) && instant.isBefore(p.end()));
    }

    /** @return the billing period holding {@code instant} */
    public OrgPeriod periodOf(Instant instant) {
        if (named.isEmpty()) {
            YearMonth month = YearMonth.from(instant.atZone(ZoneOffset.UTC));
            return new OrgPeriod(month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
                    month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant(), PeriodSource.ASSUMED);
        }
        int i = lastStartingAtOrBefore(instant);
        if (i < 0) {
            KnownPeriod first = named.get(0);
            Instant[] grid = gridAround(first.start(), instant);
            // the grid is the first period's own: its last point before the first period is that period's start
            return new OrgPeriod(grid[0], grid[1], PeriodSource.UPSTREAM);
        }
        KnownPeriod p = named.get(i);
        if (instant.isBefore(p.end())) {
            return new OrgPeriod(p.start(), p.end(), PeriodSource.UPSTREAM);
        }
        Instant[] grid = gridAround(p.start(), instant);
        Instant start = max(grid[0], p.end());
        boolean last = i == named.size() - 1;
        Instant end = last ? grid[1] : min(grid[1], named.get(i + 1).start());
        return new OrgPeriod(start, end, last ? PeriodSource.ASSUMED : PeriodSource.UPSTREAM);
    }

    /** @return the period before {@code period} */
    public OrgPeriod previous(OrgPeriod period) {
        return periodOf(period.start().minusNanos(1));
    }

    /**
     * @return the anchor moved by whole months, clamped at month end and always computed from the anchor itself
     */
    public static Instant step(Instant anchor, long months) {
        LocalDateTime at = LocalDateTime.ofInstant(anchor, ZoneOffset.UTC);
        return at.plusMonths(months).toInstant(ZoneOffset.UTC);
    }

    /** @return the grid points of {@code anchor} just at or before and just after {@code instant} */
    static Instant[] gridAround(Instant anchor, Instant instant) {
        LocalDateTime a = LocalDateTime.ofInstant(anchor, ZoneOffset.UTC);
        LocalDateTime t = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
        long k = (t.getYear() * 12L + t.getMonthValue()) - (a.getYear() * 12L + a.getMonthValue());
        while (step(anchor, k).isAfter(instant)) {
            k--;
        }
        while (!step(anchor, k + 1).isAfter(instant)) {
            k++;
        }
        return new Instant[] { step(anchor, k), step(anchor, k + 1) };
    }

    private int lastStartingAtOrBefore(Instant instant) {
        int found = -1;
        for (int i = 0; i < named.size() && !named.get(i).start().isAfter(instant); i++) {
            found = i;
        }
        return found;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
