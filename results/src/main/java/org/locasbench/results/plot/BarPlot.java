package org.locasbench.results.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.text.DecimalFormat;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.svg.SVGGraphics2D;

/**
 * Grouped bars as an SVG chart (JFreeChart): one group per category (subject group, LoCoMo category, variant), one bar
 * per series (method, variant), the value written above each bar. Headless-safe like {@link CurvePlot}: null where
 * this JVM cannot lay out text.
 */
public final class BarPlot {
    private final String title;
    private final String categoryLabel;
    private final String valueLabel;
    private final DefaultCategoryDataset data = new DefaultCategoryDataset();
    private String valueFormat = "0.000";
    private boolean zeroLine;
    private boolean slantedCategories;

    public BarPlot(String title, String categoryLabel, String valueLabel) {
        this.title = title;
        this.categoryLabel = categoryLabel;
        this.valueLabel = valueLabel;
    }

    /** The bar of {@code series} in the group {@code category}; groups and bars keep the order first added. */
    public BarPlot add(String series, String category, double value) {
        data.addValue(value, series, category);
        return this;
    }

    /** {@link DecimalFormat} pattern of the values written on the bars ({@code 0.000} unless set). */
    public BarPlot valueFormat(String pattern) {
        this.valueFormat = pattern;
        return this;
    }

    /** A line at 0 (for differences, whose bars go both ways). */
    public BarPlot zeroLine() {
        this.zeroLine = true;
        return this;
    }

    /** Category labels at 45 degrees (many or long categories). */
    public BarPlot slantedCategories() {
        this.slantedCategories = true;
        return this;
    }

    public boolean isEmpty() {
        return data.getColumnCount() == 0;
    }

    /** The value of one bar, or null (for tests and tables). */
    public Double value(String series, String category) {
        try {
            Number n = data.getValue(series, category);
            return n == null ? null : n.doubleValue();
        } catch (org.jfree.data.UnknownKeyException e) {
            return null;
        }
    }

    /** An {@code <svg>} element to inline in an HTML page, or null where this JVM cannot lay out text. */
    public String toSvgElement(int width, int height) {
        if (!CurvePlot.canDraw()) {
            return null;
        }
        JFreeChart chart = ChartFactory.createBarChart(title, categoryLabel, valueLabel, data,
                PlotOrientation.VERTICAL, true, false, false);
        chart.getTitle().setFont(CurvePlot.titleFont());
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.04);
        renderer.setDrawBarOutline(false);
        for (int i = 0; i < data.getRowCount(); i++) {
            renderer.setSeriesPaint(i, CurvePlot.paint(i));
        }
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}",
                new DecimalFormat(valueFormat)));
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
        plot.getRangeAxis().setUpperMargin(0.12);
        plot.getRangeAxis().setLowerMargin(zeroLine ? 0.12 : 0);
        CategoryAxis axis = plot.getDomainAxis();
        axis.setCategoryMargin(0.15);
        if (slantedCategories) {
            axis.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        }
        if (zeroLine) {
            plot.addRangeMarker(new ValueMarker(0, Color.DARK_GRAY, new BasicStroke(1f)));
        }
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        chart.draw(g, new java.awt.Rectangle(0, 0, width, height));
        return g.getSVGElement();
    }
}
