package org.greenwave.forecast.learn;

/**
 * Which prediction a lane uses at one horizon; chosen per lane and per horizon on validation data
 * ({@link QueueModel#train(java.util.List, java.util.List, QueueModel.TrainingConfig)}).
 */
public enum Predictor {
    /** The queue's current estimate carried forward unchanged. */
    PERSISTENCE("persistence"),
    /** The model-based roll-out ({@link org.greenwave.forecast.online.QueueRollout}). */
    MODEL("model"),
    /** The roll-out plus the learned correction. */
    LEARNED("learned");

    private final String fileName;

    Predictor(String fileName) {
        this.fileName = fileName;
    }

    /** The name the model file uses. */
    public String fileName() {
        return fileName;
    }

    /**
     * The predictor a model file names.
     *
     * @return null when {@code name} is none of them
     */
    public static Predictor ofFileName(String name) {
        for (Predictor p : values()) {
            if (p.fileName.equals(name)) {
                return p;
            }
        }
        return null;
    }
}
