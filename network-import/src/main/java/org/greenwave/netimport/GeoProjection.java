package org.greenwave.netimport;

import java.util.Locale;

/**
 * Converts a network's coordinates back to longitude and latitude, for the projection SUMO's netconvert writes by
 * default when it imports OpenStreetMap or other geographic data: UTM on WGS84 ({@code +proj=utm +zone=N [+south]
 * +ellps=WGS84 ...}). Net coordinates are the projected ones plus the network's {@code netOffset}.
 *
 * <p>The inverse transverse Mercator uses Krüger's series to the third order in the ellipsoid's third flattening,
 * good to well under a millimetre within a UTM zone. Immutable.
 */
public final class GeoProjection {
    private static final double A_WGS84_M = 6378137.0;
    private static final double F_WGS84 = 1 / 298.257223563;
    private static final double K0 = 0.9996;
    private static final double FALSE_EASTING_M = 500_000;
    private static final double FALSE_NORTHING_SOUTH_M = 10_000_000;

    private final double offsetX;
    private final double offsetY;
    private final double centralMeridianRad;
    private final double falseNorthingM;
    private final double scaledA;
    private final double[] beta;
    private final double[] delta;

    private GeoProjection(double offsetX, double offsetY, int zone, boolean south) {
        this.offsetX = offsetX;
        this.offsetY = offsetY;
        this.centralMeridianRad = Math.toRadians(zone * 6.0 - 183.0);
        this.falseNorthingM = south ? FALSE_NORTHING_SOUTH_M : 0;
        double n = F_WGS84 / (2 - F_WGS84);
        double n2 = n * n;
        double n3 = n2 * n;
        this.scaledA = K0 * A_WGS84_M / (1 + n) * (1 + n2 / 4 + n2 * n2 / 64);
        this.beta = new double[] {n / 2 - 2 * n2 / 3 + 37 * n3 / 96, n2 / 48 + n3 / 15, 17 * n3 / 480};
        this.delta = new double[] {2 * n - 2 * n2 / 3 - 2 * n3, 7 * n2 / 3 - 8 * n3 / 5, 56 * n3 / 15};
    }

    /**
     * The projection of a network's location.
     *
     * @return the projection, or null when the network has no geographic projection
     * @throws IllegalArgumentException naming the projection when it is one this class does not convert
     */
    public static GeoProjection of(SumoNet.Location location) {
        if (location == null || !location.geographic()) {
            return null;
        }
        String proj = null;
        int zone = -1;
        boolean south = false;
        String datum = "WGS84";
        for (String token : location.projParameter().trim().split("\\s+")) {
            String t = token.startsWith("+") ? token.substring(1) : token;
            int eq = t.indexOf('=');
            String key = eq < 0 ? t : t.substring(0, eq);
            String value = eq < 0 ? "" : t.substring(eq + 1);
            switch (key) {
                case "proj" -> proj = value;
                case "zone" -> {
                    try {
                        zone = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        zone = -1;
                    }
                }
                case "south" -> south = true;
                case "ellps", "datum" -> datum = value;
                default -> {
                }
            }
        }
        if (!"utm".equals(proj) || zone < 1 || zone > 60 || !datum.equalsIgnoreCase("WGS84")) {
            throw new IllegalArgumentException("projection '" + location.projParameter() + "' is not one Greenwave "
                    + "converts (UTM on WGS84 with a zone 1..60)");
        }
        return new GeoProjection(location.offsetX(), location.offsetY(), zone, south);
    }

    /** Longitude and latitude, degrees, of the net coordinates {@code (x, y)}: {@code [lon, lat]}. */
    public double[] lonLat(double x, double y) {
        double xi = (y - offsetY - falseNorthingM) / scaledA;
        double eta = (x - offsetX - FALSE_EASTING_M) / scaledA;
        double xiP = xi;
        double etaP = eta;
        for (int j = 1; j <= 3; j++) {
            xiP -= beta[j - 1] * Math.sin(2 * j * xi) * Math.cosh(2 * j * eta);
            etaP -= beta[j - 1] * Math.cos(2 * j * xi) * Math.sinh(2 * j * eta);
        }
        double chi = Math.asin(Math.sin(xiP) / Math.cosh(etaP));
        double phi = chi;
        for (int j = 1; j <= 3; j++) {
            phi += delta[j - 1] * Math.sin(2 * j * chi);
        }
        double lambda = centralMeridianRad + Math.atan2(Math.sinh(etaP), Math.cos(xiP));
        return new double[] {Math.toDegrees(lambda), Math.toDegrees(phi)};
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "UTM (offset %.2f, %.2f)", offsetX, offsetY);
    }
}
