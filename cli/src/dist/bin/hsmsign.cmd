@echo off
rem hsmsign: runs lib\hsmsign.jar of this distribution with %JAVA_HOME%\bin\java.exe, else the java on the PATH.
rem JAVA_OPTS adds options for the JVM (e.g. -Xmx2g). Unlike bin/hsmsign, it keeps no class archive (AppCDS): on Java
rem 17 that needs a training run in the background, which a batch file cannot start and check robustly.
setlocal
set "HSMSIGN_HOME=%~dp0.."
if defined JAVA_HOME (set "HSMSIGN_JAVA=%JAVA_HOME%\bin\java.exe") else (set "HSMSIGN_JAVA=java")
"%HSMSIGN_JAVA%" %JAVA_OPTS% -jar "%HSMSIGN_HOME%\lib\hsmsign.jar" %*
exit /b %ERRORLEVEL%
