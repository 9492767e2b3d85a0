package dev.vsa.processing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static dev.vsa.processing.ProcessingTestSupport.awaitTerminal;
import static dev.vsa.processing.ProcessingTestSupport.part;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The process job's preview and thumbnail on real PostgreSQL and a real S3 server (S3Proxy). */
class PreviewS3Test {
    @TempDir
    Path home;

    @Test
    void process_onS3_previewStoredUnderItsKeyAndServedByPresignedUrl() throws Exception {
        try (Processing p = Processing.start(ProcessingTestSupport.config(home, TestDatabases.fresh(),
                TestS3.settings(TestS3.SECRET_KEY)))) {
            p.startWorkers(1);
            User u = p.users().create("s3preview", "s3preview@example.org", "h");
            Scene s = p.scenes().upload(u.id(), part("minimal.splat"));
            Job j = awaitTerminal(p, u.id(), s.latestJobId());
            assertEquals(JobState.SUCCEEDED, j.state(), j::toString);
            String prefix = "scenes/" + s.id() + "/outputs/";
            List<String> keys = p.store().list(prefix);
            assertTrue(keys.contains(prefix + "preview.png"), keys::toString);
            assertTrue(keys.contains(prefix + ProcessJobTest.thumbnail()), keys::toString);
            FileDownload d = p.scenes().openFile(u.id(), s.id(), "preview.png", ByteRange.ALL).orElseThrow();
            byte[] bytes;
            if (d instanceof FileDownload.Redirect r) {
                HttpResponse<byte[]> resp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(r.url()).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, resp.statusCode());
                bytes = resp.body();
            } else {
                try (var in = ((FileDownload.Stream) d).content()) {
                    bytes = in.readAllBytes();
                }
            }
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
            assertEquals(512, img.getWidth());
            assertEquals("image/png", d.file().contentType());
        }
    }
}
