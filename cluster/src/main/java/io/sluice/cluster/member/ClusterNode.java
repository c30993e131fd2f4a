package io.sluice.cluster.member;

import io.sluice.cluster.hz.ClusterMember;
import io.sluice.cluster.hz.ClusterSettings;
import io.sluice.cluster.seating.SeatingRules;
import io.sluice.node.MediaNode;

/**
 * A media node in a cluster, as {@code sluice serve --cluster} runs it: a cluster member and the agent that
 * reports the node and pulls live streams for it. Closing leaves the cluster, which drops the node's rooms and
 * seats.
 */
public final class ClusterNode implements AutoCloseable {

    private final ClusterMember member;
    private final NodeAgent agent;

    private ClusterNode(ClusterMember member, NodeAgent agent) {
        this.member = member;
        this.agent = agent;
    }

    /**
     * Joins {@code node} to the cluster.
     *
     * @param rules          the seating's timings, used if this process is the first to write the seating
     * @param advertisedHost where players and other nodes reach the node's RTSP server; null for the address the
     *                       cluster knows this member by
     */
    public static ClusterNode join(MediaNode node, ClusterSettings settings, SeatingRules rules,
                                   NodeAgent.Capacity capacity, String advertisedHost) {
        ClusterMember member = ClusterMember.join(settings, rules, "node", System::currentTimeMillis);
        try {
            String host = advertisedHost != null ? advertisedHost : member.localHost();
            return new ClusterNode(member, NodeAgent.start(node, member, capacity, host, System::nanoTime));
        } catch (RuntimeException e) {
            member.close();
            throw e;
        }
    }

    public ClusterMember member() {
        return member;
    }

    public String rtspBase() {
        return agent.rtspBase();
    }

    @Override
    public void close() {
        agent.close();
        member.close();
    }
}
