package dev.vsa.processing;

import java.util.List;

/**
 * One page of a newest-first scene listing.
 *
 * @param items      the scenes (without their file lists' details beyond names)
 * @param nextCursor pass to {@link SceneService#list} for the next page; null on the last page
 */
public record ScenePage(List<Scene> items, String nextCursor) {
    public ScenePage {
        items = List.copyOf(items);
    }
}
