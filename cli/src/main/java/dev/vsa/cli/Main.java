package dev.vsa.cli;

/** The {@code vsa} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.out.println("vsa");
    }
}
