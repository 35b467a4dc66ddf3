package io.vendorusage.agent.reconciliation;

import java.math.BigDecimal;

import io.vendorusage.agent.reconciliation.FiguresQuery.Key;
import io.vendorusage.agent.upstream.OrganizationUsage;

/**
 * One line of a run, both sides: the (org, app), its billing period, the org's listing (null when not listed),
 * the upstream's figure (null when it said nothing about the org) and the agent's figures.
 */
record Line(Key key, Period period, OrganizationUsage listing, BigDecimal upstream, Figures figures) {
}
