/**
 * The learned queue predictor and its training data: {@link org.greenwave.forecast.learn.Features} (the per-lane
 * feature vector), {@link org.greenwave.forecast.learn.TrainingSet} (captured features paired with ground truth into
 * {@link org.greenwave.forecast.learn.Sample}s), {@link org.greenwave.forecast.learn.QueueModel} (training, per-lane
 * choice, save and load) and {@link org.greenwave.forecast.learn.FlowProfiles} (daily arrival profiles saved with it).
 * Training and file I/O run off the control thread; only {@link org.greenwave.forecast.learn.QueueModel.Evaluator}
 * runs on it.
 */
package org.greenwave.forecast.learn;
