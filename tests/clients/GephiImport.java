// Imports GEXF and GraphML files with the Gephi toolkit's own importers, the way the Gephi
// desktop application's File > Open does, each into a new project, and prints what Gephi
// made of each as one line of JSON on stdout (one JVM for all files: it starts slowly):
// node and edge counts, every column with its type, every node's label and values, every
// edge's ends, label and type, and the importer's issues. The tests in
// tests/test_real_clients.py read that JSON. Run with the source launcher (Java 11+):
//   java -cp gephi-toolkit-0.10.1-all.jar tests/clients/GephiImport.java FILE...
import java.io.File;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;
import org.gephi.graph.api.Column;
import org.gephi.graph.api.Edge;
import org.gephi.graph.api.Element;
import org.gephi.graph.api.GraphController;
import org.gephi.graph.api.GraphModel;
import org.gephi.graph.api.Node;
import org.gephi.io.importer.api.Container;
import org.gephi.io.importer.api.ImportController;
import org.gephi.io.importer.api.Issue;
import org.gephi.io.processor.plugin.DefaultProcessor;
import org.gephi.project.api.ProjectController;
import org.gephi.project.api.Workspace;
import org.openide.util.Lookup;

public class GephiImport {
    public static void main(String[] args) throws Exception {
        for (String file : args) {
            System.out.println(describe(file));
        }
        // Gephi leaves non-daemon threads behind; the answers are printed, so end here.
        System.exit(0);
    }

    private static String describe(String file) throws Exception {
        ProjectController projects = Lookup.getDefault().lookup(ProjectController.class);
        if (projects.getCurrentProject() != null) {
            projects.closeCurrentProject();
        }
        projects.newProject();
        Workspace workspace = projects.getCurrentWorkspace();
        ImportController importer = Lookup.getDefault().lookup(ImportController.class);
        Container container = importer.importFile(new File(file));
        if (container == null) {
            throw new IllegalStateException("Gephi found no importer for " + file);
        }
        List<String> issues = new ArrayList<>();
        container.getReport().getIssues(Integer.MAX_VALUE).forEachRemaining(
            (Issue issue) -> issues.add(issue.getLevel() + ": " + issue.getMessage()));
        importer.process(container, new DefaultProcessor(), workspace);
        GraphModel model = Lookup.getDefault().lookup(GraphController.class).getGraphModel(workspace);

        StringBuilder out = new StringBuilder("{");
        out.append("\"node_count\":").append(model.getGraph().getNodeCount());
        out.append(",\"edge_count\":").append(model.getGraph().getEdgeCount());
        out.append(",\"issues\":").append(strings(issues));
        out.append(",\"node_columns\":");
        columns(out, model.getNodeTable());
        out.append(",\"edge_columns\":");
        columns(out, model.getEdgeTable());
        out.append(",\"nodes\":{");
        boolean first = true;
        for (Node node : model.getGraph().getNodes()) {
            out.append(first ? "" : ",").append(json(node.getId())).append(":{\"label\":")
                .append(json(node.getLabel())).append(",\"values\":");
            values(out, node, model.getNodeTable());
            out.append("}");
            first = false;
        }
        out.append("},\"edges\":{");
        first = true;
        for (Edge edge : model.getGraph().getEdges()) {
            out.append(first ? "" : ",").append(json(edge.getId())).append(":{")
                .append("\"source\":").append(json(edge.getSource().getId()))
                .append(",\"target\":").append(json(edge.getTarget().getId()))
                .append(",\"directed\":").append(edge.isDirected())
                .append(",\"label\":").append(json(edge.getLabel()))
                .append(",\"type\":").append(json(model.getEdgeTypeLabel(edge.getType())))
                .append(",\"values\":");
            values(out, edge, model.getEdgeTable());
            out.append("}");
            first = false;
        }
        out.append("}}");
        return out.toString();
    }

    private static void columns(StringBuilder out, Iterable<Column> table) {
        out.append("{");
        boolean first = true;
        for (Column column : table) {
            if (column.isProperty()) {
                continue; // id, label, timeset: Gephi's own, not the file's attributes
            }
            out.append(first ? "" : ",").append(json(column.getId())).append(":{\"title\":")
                .append(json(column.getTitle())).append(",\"type\":")
                .append(json(column.getTypeClass().getSimpleName())).append("}");
            first = false;
        }
        out.append("}");
    }

    private static void values(StringBuilder out, Element element, Iterable<Column> table) {
        out.append("{");
        boolean first = true;
        for (Column column : table) {
            Object value = column.isProperty() ? null : element.getAttribute(column);
            if (value == null) {
                continue;
            }
            out.append(first ? "" : ",").append(json(column.getId())).append(":").append(json(value));
            first = false;
        }
        out.append("}");
    }

    private static String strings(List<String> items) {
        return json(items.toArray(new String[0]));
    }

    private static String json(Object value) {
        if (value == null) {
            return "null";
        }
        if (value.getClass().isArray()) {
            StringBuilder out = new StringBuilder("[");
            for (int i = 0; i < Array.getLength(value); i++) {
                out.append(i == 0 ? "" : ",").append(json(Array.get(value, i)));
            }
            return out.append("]").toString();
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        String text = value.toString();
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c >= 0x7f) {
                // ASCII only: the output does not depend on the JVM's default charset, and no
                // line separator (U+0085, U+2028) can split a line. Surrogates pass as pairs.
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append("\"").toString();
    }
}
