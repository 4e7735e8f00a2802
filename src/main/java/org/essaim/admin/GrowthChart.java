package org.essaim.admin;

import java.util.List;
import java.util.stream.Collectors;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasSize;
import com.vaadin.flow.component.Tag;
import com.vaadin.flow.component.dependency.JsModule;
import com.vaadin.flow.component.dependency.NpmPackage;

/** How the server grows, one point per daily sample, drawn by chart.js in the browser (frontend/admin). */
@Tag("essaim-growth-chart")
@NpmPackage(value = "chart.js", version = "4.6.1")
@JsModule("./admin/essaim-growth-chart.js")
public class GrowthChart extends Component implements HasSize {

    public void show(List<StorageSamples.Sample> samples) {
        // Only days and numbers: nothing that needs escaping.
        String json = samples.stream()
                .map(s -> "{\"day\":\"" + s.day() + "\",\"usedBytes\":" + s.usedBytes() + ",\"accountCount\":" + s.accountCount() + "}")
                .collect(Collectors.joining(",", "[", "]"));
        getElement().setProperty("samples", json);
    }
}
