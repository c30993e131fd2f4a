package io.sluice.bench.load;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarizes the {@code jdk.ExecutionSample} events of a JFR recording: the methods most often on top of the
 * stack, and the Sluice or Netty method closest to the top (what our code spent the time in, directly or in
 * what it called). The same as reading {@code jfr print --events jdk.ExecutionSample}, counted.
 */
final class JfrTopFrames {

    private JfrTopFrames() {
    }

    static String summarize(Path recording, int top) throws IOException {
        Map<String, Integer> topFrames = new HashMap<>();
        Map<String, Integer> ownFrames = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = st.getFrames();
            topFrames.merge(name(frames.getFirst()), 1, Integer::sum);
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (n.startsWith("io.sluice.") || n.startsWith("io.netty.")) {
                    ownFrames.merge(n, 1, Integer::sum);
                    break;
                }
            }
            Object thread = e.getValue("sampledThread");
            String threadName = thread instanceof jdk.jfr.consumer.RecordedThread t ? t.getJavaName() : "?";
            threads.merge(threadName == null ? "?" : threadName.replaceAll("-\\d+$", "-N"), 1, Integer::sum);
        }
        StringBuilder sb = new StringBuilder();
        sb.append("jdk.ExecutionSample events: ").append(samples).append("\n\n");
        table(sb, "Top frame (method on top of the stack)", topFrames, samples, top);
        table(sb, "Nearest io.sluice / io.netty frame", ownFrames, samples, top);
        table(sb, "Sampled thread", threads, samples, top);
        return sb.toString();
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static void table(StringBuilder sb, String title, Map<String, Integer> counts, int total, int top) {
        sb.append("| ").append(title).append(" | samples | % |\n| --- | ---: | ---: |\n");
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(top)
                .forEach(en -> sb.append("| `").append(en.getKey()).append("` | ").append(en.getValue()).append(" | ")
                        .append(String.format("%.1f", 100.0 * en.getValue() / Math.max(1, total))).append(" |\n"));
        sb.append('\n');
    }
}
