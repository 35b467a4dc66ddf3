package io.vendorusage.agent.upstream;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A stored upstream block (Retry-After or an exhausted window), shared by agents and restarts. */
@Entity
@Table(name = "upstream_throttle")
public class UpstreamThrottle {

    static final String GLOBAL = "global";

    @Id
    @Column(length = 32)
    public String id;

    @Column(name = "blocked_until", nullable = false)
    public Instant blockedUntil;

    @Column(nullable = false, length = 200)
    public String reason;
}
