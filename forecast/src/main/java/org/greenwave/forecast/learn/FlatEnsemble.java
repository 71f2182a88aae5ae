package org.greenwave.forecast.learn;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

import smile.base.cart.InternalNode;
import smile.base.cart.Node;
import smile.base.cart.OrdinalNode;
import smile.base.cart.RegressionNode;
import smile.data.Tuple;
import smile.data.type.StructType;
import smile.regression.GradientTreeBoost;
import smile.regression.RegressionTree;

/**
 * The trees of one Smile {@link GradientTreeBoost} copied into flat primitive arrays, so that a prediction walks
 * arrays instead of Smile's node objects (several times faster, and no allocation). Built from the Smile model each
 * time one is trained or loaded; the Smile model stays the saved form.
 *
 * <p>Smile keeps a split's threshold package-private, but its public {@link OrdinalNode#branch} tells whether a value
 * goes left ({@code x <= threshold}); the threshold is recovered exactly by bisection over the ordered doubles (64
 * probes per split, at construction only). A prediction is {@code intercept + Σ shrinkage × leaf}, summed in Smile's
 * order. Immutable; any thread.
 *
 * <p><b>Saved form</b> ({@link #write}, {@link #read}): plain numbers, big-endian: {@code int trees, int nodes,
 * double shrinkage, double intercept, int root[trees]}, then per node {@code int feature, double value, int left,
 * int right} (children of a leaf are written as 0). Reading checks every number, so a hostile file can make neither
 * a loop nor an out-of-range access: a split's children come after it, a feature is one of the model's, a threshold
 * is not NaN, a leaf is finite.
 */
final class FlatEnsemble {
    private final int[] roots;
    /** Split feature, or -1 for a leaf. */
    private final int[] feature;
    /** Split threshold (go to {@link #left} when {@code x <= threshold}), or the leaf's output. */
    private final double[] value;
    private final int[] left;
    private final int[] right;
    private final double shrinkage;
    private final double intercept;
    private int size;

    /**
     * @param ensemble  a least-squares ensemble over {@code schema}'s double columns
     * @param shrinkage the learning rate it was fitted with (Smile does not expose it)
     * @throws IllegalArgumentException when a tree holds a split on a non-numeric feature (not built by
     *                                  {@link QueueModel})
     */
    FlatEnsemble(GradientTreeBoost ensemble, double shrinkage) {
        this.shrinkage = shrinkage;
        RegressionTree[] trees = ensemble.trees();
        int nodes = 0;
        for (RegressionTree t : trees) {
            nodes += count(t.root());
        }
        this.roots = new int[trees.length];
        this.feature = new int[nodes];
        this.value = new double[nodes];
        this.left = new int[nodes];
        this.right = new int[nodes];
        StructType schema = ensemble.schema();
        ProbeTuple probe = new ProbeTuple(schema, new double[schema.length()]);
        for (int t = 0; t < trees.length; t++) {
            roots[t] = add(trees[t].root(), probe);
        }
        // Smile keeps the intercept private too: its prediction minus the trees' part, on any input.
        double[] zero = new double[schema.length()];
        this.intercept = ensemble.predict(Tuple.of(zero, schema)) - treePart(zero);
    }

    private static int count(Node n) {
        if (n instanceof InternalNode i) {
            return 1 + count(i.trueChild()) + count(i.falseChild());
        }
        return 1;
    }

    private int add(Node n, ProbeTuple probe) {
        int at = size++;
        if (n instanceof OrdinalNode o) {
            feature[at] = o.feature();
            value[at] = threshold(o, probe);
            left[at] = add(o.trueChild(), probe);
            right[at] = add(o.falseChild(), probe);
        } else if (n instanceof RegressionNode r) {
            feature[at] = -1;
            value[at] = r.output();
        } else {
            throw new IllegalArgumentException("tree node " + n.getClass().getName() + " is not a numeric split or a "
                    + "regression leaf");
        }
        return at;
    }

    /** The largest double {@code x} with {@code branch(x)} true, i.e. the split's threshold. */
    private static double threshold(OrdinalNode node, ProbeTuple probe) {
        int f = node.feature();
        Arrays.fill(probe.values, 0);
        probe.values[f] = Double.MAX_VALUE;
        if (node.branch(probe)) {
            return Double.POSITIVE_INFINITY;
        }
        probe.values[f] = -Double.MAX_VALUE;
        if (!node.branch(probe)) {
            return Double.NEGATIVE_INFINITY;
        }
        long lo = order(-Double.MAX_VALUE);
        long hi = order(Double.MAX_VALUE);
        // Invariant: branch(lo) is true, branch(hi) is false. hi − lo exceeds Long.MAX_VALUE: unsigned arithmetic.
        while (Long.compareUnsigned(hi - lo, 1) > 0) {
            long mid = lo + ((hi - lo) >>> 1);
            probe.values[f] = unorder(mid);
            if (node.branch(probe)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return unorder(lo);
    }

    private FlatEnsemble(int[] roots, int[] feature, double[] value, int[] left, int[] right, double shrinkage,
                         double intercept) {
        this.roots = roots;
        this.feature = feature;
        this.value = value;
        this.left = left;
        this.right = right;
        this.shrinkage = shrinkage;
        this.intercept = intercept;
        this.size = feature.length;
    }

    /** Bytes of the saved form of an ensemble of {@code trees} trees and {@code nodes} nodes. */
    static long savedBytes(long trees, long nodes) {
        return 4 + 4 + 8 + 8 + 4 * trees + 20 * nodes;
    }

    /** Writes the saved form (see the class comment). */
    void write(DataOutputStream out) throws IOException {
        out.writeInt(roots.length);
        out.writeInt(size);
        out.writeDouble(shrinkage);
        out.writeDouble(intercept);
        for (int r : roots) {
            out.writeInt(r);
        }
        for (int n = 0; n < size; n++) {
            out.writeInt(feature[n]);
            out.writeDouble(value[n]);
            out.writeInt(feature[n] < 0 ? 0 : left[n]);
            out.writeInt(feature[n] < 0 ? 0 : right[n]);
        }
    }

    /**
     * Reads the saved form, checking every number.
     *
     * @param bytes    the saved form, nothing more
     * @param features number of input features; a split's feature must be below it
     * @throws IllegalArgumentException saying what is wrong (sizes, a node and its bad field)
     */
    static FlatEnsemble read(byte[] bytes, int features) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (bytes.length < savedBytes(0, 0)) {
                throw new IllegalArgumentException("is " + bytes.length + " bytes, shorter than its header");
            }
            int trees = in.readInt();
            int nodes = in.readInt();
            if (trees < 1 || nodes < trees) {
                throw new IllegalArgumentException("declares " + trees + " trees and " + nodes + " nodes");
            }
            if (savedBytes(trees, nodes) != bytes.length) {
                throw new IllegalArgumentException("declares " + trees + " trees and " + nodes + " nodes, which take "
                        + savedBytes(trees, nodes) + " bytes, but it has " + bytes.length);
            }
            double shrinkage = in.readDouble();
            double intercept = in.readDouble();
            if (!(shrinkage > 0 && shrinkage <= 1) || !Double.isFinite(intercept)) {
                throw new IllegalArgumentException("has shrinkage " + shrinkage + " and intercept " + intercept);
            }
            int[] roots = new int[trees];
            for (int t = 0; t < trees; t++) {
                roots[t] = in.readInt();
                if (roots[t] < 0 || roots[t] >= nodes) {
                    throw new IllegalArgumentException("tree " + t + " starts at node " + roots[t] + ", not in 0.."
                            + (nodes - 1));
                }
            }
            int[] feature = new int[nodes];
            double[] value = new double[nodes];
            int[] left = new int[nodes];
            int[] right = new int[nodes];
            for (int n = 0; n < nodes; n++) {
                feature[n] = in.readInt();
                value[n] = in.readDouble();
                left[n] = in.readInt();
                right[n] = in.readInt();
                if (feature[n] < -1 || feature[n] >= features) {
                    throw new IllegalArgumentException("node " + n + " splits on feature " + feature[n] + ", not in 0.."
                            + (features - 1));
                }
                if (feature[n] < 0 && !Double.isFinite(value[n])) {
                    throw new IllegalArgumentException("leaf " + n + " has output " + value[n]);
                }
                if (feature[n] >= 0 && (Double.isNaN(value[n]) || left[n] <= n || right[n] <= n || left[n] >= nodes
                        || right[n] >= nodes)) {
                    throw new IllegalArgumentException("split " + n + " has threshold " + value[n] + " and children "
                            + left[n] + " and " + right[n] + " (children must come after it, below " + nodes + ")");
                }
            }
            return new FlatEnsemble(roots, feature, value, left, right, shrinkage, intercept);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot be read: " + e, e);
        }
    }

    /** The learning rate the trees are summed with. */
    double shrinkage() {
        return shrinkage;
    }

    /** Maps doubles to longs with the same order (negative zero just below zero). */
    private static long order(double d) {
        long bits = Double.doubleToRawLongBits(d);
        return bits >= 0 ? bits : bits ^ Long.MAX_VALUE;
    }

    private static double unorder(long key) {
        return Double.longBitsToDouble(key >= 0 ? key : key ^ Long.MAX_VALUE);
    }

    private double treePart(double[] x) {
        double y = 0;
        for (int root : roots) {
            int n = root;
            while (feature[n] >= 0) {
                n = x[feature[n]] <= value[n] ? left[n] : right[n];
            }
            y += shrinkage * value[n];
        }
        return y;
    }

    /** The ensemble's prediction for {@code x} (its schema's columns, in order). No allocation. */
    double predict(double[] x) {
        return intercept + treePart(x);
    }

    /** Number of trees. */
    int trees() {
        return roots.length;
    }

    /** A Smile tuple over an array, for probing splits. */
    private static final class ProbeTuple implements Tuple {
        private static final long serialVersionUID = 1L;
        private final StructType schema;
        final double[] values;

        ProbeTuple(StructType schema, double[] values) {
            this.schema = schema;
            this.values = values;
        }

        @Override
        public StructType schema() {
            return schema;
        }

        @Override
        public Object get(int i) {
            return values[i];
        }

        @Override
        public double getDouble(int i) {
            return values[i];
        }
    }
}
