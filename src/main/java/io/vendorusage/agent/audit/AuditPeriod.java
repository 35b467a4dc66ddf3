package io.vendorusage.agent.audit;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.vendorusage.agent.http.Problems;
import io.vendorusage.agent.submission.period.BillingPeriods;
import io.vendorusage.agent.submission.period.OrgPeriod;
import io.vendorusage.agent.submission.period.PeriodCalendar;

/**
 * The span an audit covers, from the {@code period} parameter: {@code current} and {@code previous} (the org's own
 * billing periods), {@code YYYY-MM-DD} (the org's billing period holding that UTC date) or {@code YYYY-MM} (the
 * UTC calendar month).
 *
 * @param name what was asked, normalised ({@code current} and {@code previous} stay as they are)
 * @param source {@code upstream} or {@code assumed} for an org's period, {@code calendar} for a calendar month
 */
public record AuditPeriod(String name, Instant start, Instant end, String source) {

    static final String CALENDAR = "calendar";
    private static final Pattern MONTH = Pattern.compile("[0-9]{4}-(0[1-9]|1[0-2])");
    private static final Pattern DAY = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    static final String RULE = "period is required: current, previous, a date as YYYY-MM-DD (the organization's billing"
            + " period holding it) or a UTC month as YYYY-MM, e.g. 2026-11.";

    /** Reads the {@code period} parameter against the org's billing periods as the store knows them. */
    @ApplicationScoped
    public static class Resolver {

        private final BillingPeriods periods;
        private final Clock clock;

        public Resolver(BillingPeriods periods, Clock clock) {
            this.periods = periods;
            this.clock = clock;
        }

        @Transactional
        public AuditPeriod resolve(String organizationId, String period) {
            if (period == null) {
                throw Problems.invalid(RULE, List.of());
            }
            if (MONTH.matcher(period).matches()) {
                YearMonth month = YearMonth.parse(period);
                return new AuditPeriod(period, month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
                        month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant(), CALENDAR);
            }
            PeriodCalendar calendar = periods.calendar(organizationId);
            OrgPeriod current = calendar.periodOf(clock.instant());
            OrgPeriod span = switch (period) {
                case "current" -> current;
                case "previous" -> calendar.previous(current);
                default -> calendar.periodOf(day(period));
            };
            return new AuditPeriod(period, span.start(), span.end(), span.source().wire());
        }

        private static Instant day(String period) {
            if (!DAY.matcher(period).matches()) {
                throw Problems.invalid(RULE, List.of());
            }
            try {
                return LocalDate.parse(period).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e) {
                throw Problems.invalid(RULE, List.of());
            }
        }
    }
}
