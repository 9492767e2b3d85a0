package dev.vsa.processing;

import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.ImageNameSubstitutor;

/**
 * Runs Testcontainers' own start-up check (an {@code alpine} container) in the image named by
 * {@code -Dvsa.test.check.image} when set, for engines with no registry in reach; other images are left alone.
 */
public final class LocalCheckImage extends ImageNameSubstitutor {
    @Override
    public DockerImageName apply(DockerImageName original) {
        String local = System.getProperty("vsa.test.check.image");
        if (local != null && original.getRepository().equals("alpine")) {
            return DockerImageName.parse(local).asCompatibleSubstituteFor(original);
        }
        return original;
    }

    @Override
    protected String getDescription() {
        return "vsa: local image for Testcontainers' start-up check";
    }
}
